package audit

// The Chinese labels of the values a row stores, as the console shows them
// and the command line prints them (docs/design.md: a stored value that
// has a Chinese label in the console is printed by that label).

var outcomeLabels = map[string]string{OK: "成功", Denied: "拒绝", Failed: "失败"}

var actorKindLabels = map[string]string{
	ActorUser: "工作人员", ActorApp: "应用", ActorApplicant: "申请人",
	ActorSystem: "系统", ActorAnonymous: "匿名",
}

var objectKindLabels = map[string]string{
	"app": "应用", "app_key": "应用密钥", "catalog_entry": "数据资源", "catalog_import_mapping": "导入映射",
	"catalog_security_level": "安全级别", "audit_log": "审计日志", "client_address": "来源地址", "department": "部门", "record": "记录",
	"record_batch": "归集批次", "record_discrepancy": "多源校核差异", "records": "归集数据", "region": "行政区划", "user": "账号",
}

// systemActorNames are the names of the platform's own actors (kind
// system) by id, as their audit rows name them: a batch, which keeps its
// pusher as kind:id alone, is shown by the same name (org.ActorNames).
var systemActorNames = map[string]string{"demo": "演示数据", "maintain": "服务器维护"}

// SystemActorName is the name of the system actor of id (demo 演示数据,
// maintain 服务器维护), "" for one without a fixed name (cli, whose name
// is the account that ran the command).
func SystemActorName(id string) string { return systemActorNames[id] }

// OutcomeLabel is the label of an outcome (OK 成功, Denied 拒绝, Failed
// 失败), "" for a value that is none of them.
func OutcomeLabel(outcome string) string { return outcomeLabels[outcome] }

// ActorKindLabel is the label of an actor kind (ActorUser 工作人员, …),
// "" for a value that is none of them.
func ActorKindLabel(kind string) string { return actorKindLabels[kind] }

// ObjectKindLabel is the label of a row's object type (catalog_entry
// 数据资源, …), "" for a type without one.
func ObjectKindLabel(objectType string) string { return objectKindLabels[objectType] }
