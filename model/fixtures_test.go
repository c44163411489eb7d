package model

// Canned challenges as the executor sends them (2026.2 shapes).
const (
	identificationJSON = `{"component":"ak-stage-identification","flow_info":{"title":"Welcome to authentik!","layout":"stacked","cancel_url":"/flows/-/cancel/"},` +
		`"user_fields":["username","email"],"password_fields":false,"primary_action":"Log in","flow_designation":"authentication","sources":[],"show_source_labels":false,"enable_remember_me":false}`

	passwordErrorJSON = `{"component":"ak-stage-password","flow_info":{"title":"Welcome to authentik!","layout":"stacked","cancel_url":"/flows/-/cancel/"},` +
		`"pending_user":"akadmin","pending_user_avatar":"/static/dist/assets/images/user_default.png","allow_show_password":false,` +
		`"response_errors":{"password":[{"string":"Invalid password","code":"invalid"}]}}`

	validateJSON = `{"component":"ak-stage-authenticator-validate","flow_info":{"title":"Welcome to authentik!","layout":"stacked","cancel_url":"/flows/-/cancel/"},` +
		`"pending_user":"akadmin","pending_user_avatar":"/static/dist/assets/images/user_default.png",` +
		`"device_challenges":[{"device_class":"totp","device_uid":"1","challenge":{},"last_used":null},{"device_class":"static","device_uid":"2","challenge":{},"last_used":null}],` +
		`"configuration_stages":[]}`

	promptJSON = `{"component":"ak-stage-prompt","flow_info":{"title":"Enrollment","layout":"stacked","cancel_url":"/flows/-/cancel/"},"fields":[` +
		`{"field_key":"username","label":"Username","type":"username","required":true,"placeholder":"Username","initial_value":"","order":0,"sub_text":"","choices":null},` +
		`{"field_key":"name","label":"Name","type":"text","required":true,"placeholder":"Name","initial_value":"","order":1,"sub_text":"","choices":null},` +
		`{"field_key":"email","label":"Email","type":"email","required":true,"placeholder":"Email","initial_value":"","order":2,"sub_text":"","choices":null}]}`

	consentJSON = `{"component":"ak-stage-consent","flow_info":{"title":"Authorize Application","layout":"stacked","cancel_url":"/flows/-/cancel/"},` +
		`"pending_user":"akadmin","pending_user_avatar":"/static/dist/assets/images/user_default.png","header_text":"You're about to sign into Grafana.",` +
		`"permissions":[{"id":"openid","name":"General Profile Information"},{"id":"email","name":"Email address"}],"additional_permissions":[],"token":"3f0c2a1b9e"}`

	deniedJSON = `{"component":"ak-stage-access-denied","flow_info":{"title":"Welcome to authentik!","layout":"stacked","cancel_url":"/flows/-/cancel/"},` +
		`"pending_user":"bob","pending_user_avatar":"/static/dist/assets/images/user_default.png","error_message":"Invalid password"}`

	flowErrorJSON = `{"component":"ak-stage-flow-error","request_id":"0d5e3c1f7a4b4b8e9c2d","error":"CSRF Failed: CSRF token missing.","traceback":""}`

	successJSON = `{"component":"xak-flow-redirect","to":"/if/user/"}`
)
