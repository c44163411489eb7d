package history

import "github.com/akinspect/akinspect/transport"

// Source is anything exchanges can be read from by index (har.Export
// takes one): a *Recording, or Exchanges (a plain slice, e.g. the live
// recorder's).
type Source interface {
	Len() int
	Exchange(i int) (*transport.Exchange, error)
}

// Exchanges adapts a slice to Source.
type Exchanges []*transport.Exchange

// Len is the number of exchanges.
func (x Exchanges) Len() int { return len(x) }

// Exchange returns exchange i.
func (x Exchanges) Exchange(i int) (*transport.Exchange, error) { return x[i], nil }
