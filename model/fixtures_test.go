package model

// Canned challenges as the executor sends them (2026.2 shapes).
const (
	identificationJSON = `{"component":"ak-stage-identification","flow_info":{"title":"Welcome to authentik!","layout":"stacked","cancel_url":"/flows/-/cancel/"},` +
		`"user_fields":["username","email"],"password_fields":false,"primary_action":"Log in","flow_designation":"authentication","sources":[],"show_source_labels":false,"enable_remember_me":false}`

	validateJSON = `{"component":"ak-stage-authenticator-validate","flow_info":{"title":"Welcome to authentik!","layout":"stacked","cancel_url":"/flows/-/cancel/"},` +
		`"pending_user":"akadmin","pending_user_avatar":"/static/dist/assets/images/user_default.png",` +
		`"device_challenges":[{"device_class":"totp","device_uid":"1","challenge":{},"last_used":null},{"device_class":"static","device_uid":"2","challenge":{},"last_used":null}],` +
		`"configuration_stages":[]}`

	consentJSON = `{"component":"ak-stage-consent","flow_info":{"title":"Authorize Application","layout":"stacked","cancel_url":"/flows/-/cancel/"},` +
		`"pending_user":"akadmin","pending_user_avatar":"/static/dist/assets/images/user_default.png","header_text":"You're about to sign into Grafana.",` +
		`"permissions":[{"id":"openid","name":"General Profile Information"},{"id":"email","name":"Email address"}],"additional_permissions":[],"token":"3f0c2a1b9e"}`

	successJSON = `{"component":"xak-flow-redirect","to":"/if/user/"}`
)
