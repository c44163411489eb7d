package history

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/akinspect/akinspect/internal/jsonscan"
	"github.com/akinspect/akinspect/transport"
)

// Reading an exchange back costs its line and its bodies, not more: a body
// is decoded from the line itself (base64 straight into the body, text
// copied once) instead of through a string the size of the line's part.

// rawBody is a body as it stands in the line: a JSON string literal, or
// null. It refers into the line being decoded (no copy), so it is used up
// before decodeExchangeLine returns.
type rawBody []byte

func (b *rawBody) UnmarshalJSON(data []byte) error {
	*b = data
	return nil
}

// lineRecord is exchangeRecord with its bodies left as they are in the line.
type lineRecord struct {
	exchangeRecord
	RequestBody  rawBody `json:"request_body,omitempty"`
	ResponseBody rawBody `json:"response_body,omitempty"`
}

func decodeExchangeLine(line []byte) (*transport.Exchange, error) {
	var rec lineRecord
	if err := json.Unmarshal(line, &rec); err != nil {
		return nil, err
	}
	e, err := rec.exchange() // its bodies are in rawBody, not in exchangeRecord
	if err != nil {
		return nil, err
	}
	if e.RequestBody, err = rec.RequestBody.decode(rec.RequestBodyEncoding); err != nil {
		return nil, fmt.Errorf("request body: %w", err)
	}
	if e.ResponseBody, err = rec.ResponseBody.decode(rec.ResponseBodyEncoding); err != nil {
		return nil, fmt.Errorf("response body: %w", err)
	}
	FillChallenge(e)
	return e, nil
}

// decode is the body b holds, written with encoding: what decodeBody gives
// for the string, without making the string when the literal has no
// escapes.
func (b rawBody) decode(encoding string) ([]byte, error) {
	if b == nil || string(b) == "null" {
		return nil, nil
	}
	if inner, ok := jsonscan.PlainString(b); ok {
		switch encoding {
		case "":
			return append([]byte{}, inner...), nil
		case EncodingBase64:
			body := make([]byte, base64.StdEncoding.DecodedLen(len(inner)))
			n, err := base64.StdEncoding.Decode(body, inner)
			return body[:n], err
		}
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	return decodeBody(&s, encoding)
}
