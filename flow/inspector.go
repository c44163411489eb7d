package flow

import "encoding/json"

// StageObj is the stage a binding points to, as the inspector shows it.
type StageObj struct {
	Name          string `json:"name"`
	Component     string `json:"component"`
	VerboseName   string `json:"verbose_name"`
	MetaModelName string `json:"meta_model_name"`
	Pk            string `json:"pk"`
}

// StageBinding is a FlowStageBinding as the inspector returns it.
type StageBinding struct {
	Pk       string    `json:"pk"`
	Order    int       `json:"order"`
	StageObj *StageObj `json:"stage_obj"`
}

// InspectorPlan is one FlowInspectorPlan.
type InspectorPlan struct {
	CurrentStage     *StageBinding              `json:"current_stage"`
	NextPlannedStage *StageBinding              `json:"next_planned_stage"`
	PlanContext      map[string]json.RawMessage `json:"plan_context"`
	SessionID        string                     `json:"session_id"`
}

// Inspection is the inspector endpoint's FlowInspection.
type Inspection struct {
	Plans       []InspectorPlan `json:"plans"`
	CurrentPlan *InspectorPlan  `json:"current_plan"`
	IsCompleted bool            `json:"is_completed"`
}

// DecodeInspection reads an inspector response body.
func DecodeInspection(body []byte) (*Inspection, error) {
	var in Inspection
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	return &in, nil
}
