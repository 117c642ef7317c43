package catalog_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
)

func TestValidateEntry(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *catalog.Resource)
		field  string // "" means valid
		code   string
	}{
		{"valid", func(r *catalog.Resource) {}, "", ""},
		{"valid after trimming and upper-casing", func(r *catalog.Resource) { r.Name = "  户籍 信息 "; r.Items[1].Type = " c " }, "", ""},
		{"name required", func(r *catalog.Resource) { r.Name = " " }, "name", "name_required"},
		{"name special characters", func(r *catalog.Resource) { r.Name = "户籍<信息>" }, "name", "invalid_name"},
		{"name only digits", func(r *catalog.Resource) { r.Name = "2024" }, "name", "invalid_name"},
		{"name of latin letters", func(r *catalog.Resource) { r.Name = "a" }, "name", "invalid_name"},
		{"name without a Han character", func(r *catalog.Resource) { r.Name = "GDP data 2024" }, "name", "invalid_name"},
		{"name of one character", func(r *catalog.Resource) { r.Name = "户" }, "name", "invalid_name"},
		{"generic name", func(r *catalog.Resource) { r.Name = "数据" }, "name", "generic_name"},
		{"generic name of several words", func(r *catalog.Resource) { r.Name = "数据 信息资源表格" }, "name", "generic_name"},
		{"generic name with punctuation", func(r *catalog.Resource) { r.Name = "数据（信息）-表" }, "name", "generic_name"},
		{"generic words with a number", func(r *catalog.Resource) { r.Name = "12345数据" }, "", ""},
		{"generic word numbered", func(r *catalog.Resource) { r.Name = "数据1" }, "name", "generic_name"},
		{"generic table numbered", func(r *catalog.Resource) { r.Name = "表1" }, "name", "invalid_name"},
		{"generic word and a year", func(r *catalog.Resource) { r.Name = "信息2024" }, "name", "generic_name"},
		{"generic words and a sequence number", func(r *catalog.Resource) { r.Name = "数据资源00001" }, "", ""},
		{"generic word and a short sequence number", func(r *catalog.Resource) { r.Name = "资源001" }, "", ""},
		{"generic word and a sequence number", func(r *catalog.Resource) { r.Name = "资源100" }, "", ""},
		{"generic word and two digits", func(r *catalog.Resource) { r.Name = "数据12" }, "name", "generic_name"},
		{"one character and a digit", func(r *catalog.Resource) { r.Name = "户1" }, "name", "invalid_name"},
		{"one character and punctuation", func(r *catalog.Resource) { r.Name = "户。" }, "name", "invalid_name"},
		{"two Latin letters and a character", func(r *catalog.Resource) { r.Name = "A股" }, "", ""},
		{"generic name with a year", func(r *catalog.Resource) { r.Name = "2024年数据" }, "", ""},
		{"generic words with a subject", func(r *catalog.Resource) { r.Name = "旅行社" }, "", ""},
		{"generic words around a subject", func(r *catalog.Resource) { r.Name = "GDP数据" }, "", ""},
		{"name too long", func(r *catalog.Resource) { r.Name = strings.Repeat("户", 101) }, "name", "too_long"},
		{"abstract required", func(r *catalog.Resource) { r.Abstract = "" }, "abstract", "abstract_required"},
		{"format", func(r *catalog.Resource) { r.Format = "pdf" }, "format", "invalid_format"},
		{"class", func(r *catalog.Resource) { r.Classification.Class = "x" }, "classification.class", "invalid_class"},
		{"category code digits", func(r *catalog.Resource) { r.Classification.CategoryCode = "1a" }, "classification.category_code", "invalid_category_code"},
		{"basic category outside the guide", func(r *catalog.Resource) { r.Classification.CategoryCode = "07" }, "classification.category_code", "invalid_category_code"},
		{"category name", func(r *catalog.Resource) {
			r.Classification.Class, r.Classification.CategoryName = catalog.Departmental, ""
		}, "classification.category_name", "category_name_required"},
		{"subcategory code", func(r *catalog.Resource) { r.Classification.SubcategoryCode = "0001" }, "classification.subcategory_code", "invalid_subcategory_code"},
		{"subcategory name", func(r *catalog.Resource) { r.Classification.SubcategoryName = "" }, "classification.subcategory_name", "subcategory_name_required"},
		{"detail code", func(r *catalog.Resource) { r.Classification.DetailCode, r.Classification.DetailName = "1a", "x" }, "classification.detail_code", "invalid_detail_code"},
		{"detail name", func(r *catalog.Resource) { r.Classification.DetailCode = "01" }, "classification.detail_name", "detail_name_required"},
		{"detail code missing", func(r *catalog.Resource) { r.Classification.DetailName = "x" }, "classification.detail_code", "detail_code_required"},
		{"items required", func(r *catalog.Resource) { r.Items = nil; r.SubjectKind = catalog.NoSubject }, "items", "items_required"},
		{"item name required", func(r *catalog.Resource) { r.Items[1].Name = "" }, "items[1].name", "item_name_required"},
		{"duplicate item names", func(r *catalog.Resource) { r.Items[2].Name = "姓名" }, "items[2].name", "duplicate_item_name"},
		{"duplicate item names across widths", func(r *catalog.Resource) {
			r.Items[2].Name, r.Items[3].Name = "ＩＤ号", "id号"
		}, "items[3].name", "duplicate_item_name"},
		{"item data type", func(r *catalog.Resource) { r.Items[1].Type = "X" }, "items[1].type", "invalid_data_type"},
		{"character item needs a length", func(r *catalog.Resource) { r.Items[1].Length = 0 }, "items[1].length", "length_required"},
		{"negative length", func(r *catalog.Resource) { r.Items[2].Length = -1 }, "items[2].length", "invalid_length"},
		{"subject kind", func(r *catalog.Resource) { r.SubjectKind = "robot" }, "subject_kind", "invalid_subject_kind"},
		{"personal table without identifying item", func(r *catalog.Resource) { r.Items[0].IdentifiesSubject = false }, "items", "identifying_item_required"},
		{"enterprise table without identifying item", func(r *catalog.Resource) {
			r.SubjectKind, r.Items[0].IdentifiesSubject = catalog.LegalEntity, false
		}, "items", "identifying_item_required"},
		{"no subject needs no identifying item", func(r *catalog.Resource) {
			r.SubjectKind, r.Items[0].IdentifiesSubject = catalog.NoSubject, false
		}, "", ""},
		{"no subject with an identifying item", func(r *catalog.Resource) { r.SubjectKind = catalog.NoSubject }, "items[0].identifies_subject", "unexpected_identifying_item"},
		{"no subject keyed by a record number", func(r *catalog.Resource) {
			r.SubjectKind, r.Items[0] = catalog.NoSubject, catalog.Item{Name: "统一受理号", Type: "C", Length: 30, IdentifiesSubject: true}
		}, "", ""},
		{"share type", func(r *catalog.Resource) { r.ShareType = "maybe" }, "share_type", "invalid_share_type"},
		{"unconditional with conditions", func(r *catalog.Resource) { r.ShareConditions = "需申请" }, "share_conditions", "unexpected_share_conditions"},
		{"conditional without conditions", func(r *catalog.Resource) { r.ShareType = catalog.Conditional }, "share_conditions", "share_conditions_required"},
		{"not shared without legal basis", func(r *catalog.Resource) { notShared(r); r.LegalBasis = "" }, "legal_basis", "legal_basis_required"},
		{"unconditional with a legal basis", func(r *catalog.Resource) { r.LegalBasis = "《律师法》第三十八条" }, "legal_basis", "unexpected_legal_basis"},
		{"conditional with a legal basis", func(r *catalog.Resource) {
			r.ShareType, r.ShareConditions, r.LegalBasis = catalog.Conditional, "仅用于核验", "《律师法》"
		}, "legal_basis", "unexpected_legal_basis"},
		{"not shared with a vague basis", func(r *catalog.Resource) { notShared(r); r.LegalBasis = "涉及个人隐私" }, "legal_basis", "invalid_legal_basis"},
		{"not shared with methods", func(r *catalog.Resource) {
			notShared(r)
			r.ShareMethods = []catalog.ShareMethod{"query"}
		}, "share_methods", "unexpected_share_methods"},
		{"not shared citing an article", func(r *catalog.Resource) { notShared(r) }, "", ""},
		{"shared without methods", func(r *catalog.Resource) { r.ShareMethods = nil }, "share_methods", "share_methods_required"},
		{"unknown method", func(r *catalog.Resource) { r.ShareMethods = []catalog.ShareMethod{"email"} }, "share_methods[0]", "invalid_share_method"},
		{"duplicate method", func(r *catalog.Resource) { r.ShareMethods = []catalog.ShareMethod{"query", "query"} }, "share_methods[1]", "duplicate_share_method"},
		{"share scope", func(r *catalog.Resource) { r.ShareScope = "" }, "share_scope", "share_scope_required"},
		{"open attribute", func(r *catalog.Resource) { r.OpenAttribute = "public" }, "open_attribute", "invalid_open_attribute"},
		{"conditionally open without conditions", func(r *catalog.Resource) { r.OpenAttribute = catalog.OpenConditional }, "open_conditions", "open_conditions_required"},
		{"open conditions when closed", func(r *catalog.Resource) { r.OpenConditions = "申请" }, "open_conditions", "unexpected_open_conditions"},
		{"not shared but open", func(r *catalog.Resource) { notShared(r); r.OpenAttribute = catalog.Open }, "open_attribute", "inconsistent_open_attribute"},
		{"level 4 open", func(r *catalog.Resource) {
			r.ShareType, r.ShareConditions, r.SecurityLevel, r.OpenAttribute = catalog.Conditional, "经审批", 4, catalog.Open
		}, "open_attribute", "inconsistent_open_attribute"},
		{"level 4 shared unconditionally", func(r *catalog.Resource) { r.SecurityLevel = 4 }, "share_type", "inconsistent_share_type"},
		{"level 4 shared on conditions", func(r *catalog.Resource) {
			r.ShareType, r.ShareConditions, r.SecurityLevel = catalog.Conditional, "经审批", 4
		}, "", ""},
		{"level 4 not shared", func(r *catalog.Resource) { notShared(r); r.SecurityLevel = 4 }, "", ""},
		{"level 4 on the internet", func(r *catalog.Resource) {
			r.ShareType, r.ShareConditions, r.SecurityLevel, r.NetworkZone = catalog.Conditional, "经审批", 4, "internet"
		}, "network_zone", "inconsistent_network_zone"},
		{"level 4 in a department network", func(r *catalog.Resource) {
			r.ShareType, r.ShareConditions, r.SecurityLevel, r.NetworkZone = catalog.Conditional, "经审批", 4, "dept_private"
		}, "", ""},
		{"level 3 on the internet", func(r *catalog.Resource) { r.NetworkZone = "internet" }, "", ""},
		{"update frequency", func(r *catalog.Resource) { r.UpdateFrequency = "sometimes" }, "update_frequency", "invalid_update_frequency"},
		{"other frequency needs text", func(r *catalog.Resource) { r.UpdateFrequency = catalog.FrequencyOther }, "update_frequency_other", "update_frequency_other_required"},
		{"frequency text only for other", func(r *catalog.Resource) { r.FrequencyOther = "每三年" }, "update_frequency_other", "unexpected_update_frequency_other"},
		{"other frequency with text", func(r *catalog.Resource) { r.UpdateFrequency, r.FrequencyOther = catalog.FrequencyOther, "每三年" }, "", ""},
		{"yearly pushed in real time", func(r *catalog.Resource) {
			r.UpdateFrequency, r.Timeliness = "yearly", "实时推送"
		}, "", ""},
		{"realtime updated daily", func(r *catalog.Resource) {
			r.UpdateFrequency, r.Timeliness = "realtime", "每日更新"
		}, "timeliness", "inconsistent_timeliness"},
		{"monthly updated daily", func(r *catalog.Resource) {
			r.UpdateFrequency, r.Timeliness = "monthly", "每日更新"
		}, "timeliness", "inconsistent_timeliness"},
		{"real time updated each quarter", func(r *catalog.Resource) { r.Timeliness = "每季度首月上旬更新" }, "timeliness", "inconsistent_timeliness"},
		{"real time pushed in real time", func(r *catalog.Resource) { r.Timeliness = "实时推送" }, "", ""},
		{"yearly stating its month", func(r *catalog.Resource) {
			r.UpdateFrequency, r.Timeliness = "yearly", "每年3月底前更新上一年度数据"
		}, "", ""},
		{"yearly within working days", func(r *catalog.Resource) {
			r.UpdateFrequency, r.Timeliness = "yearly", "业务办结后2个工作日内更新"
		}, "", ""},
		{"yearly, real time not asked", func(r *catalog.Resource) {
			r.UpdateFrequency, r.Timeliness = "yearly", "无需实时推送，每年更新一次"
		}, "", ""},
		{"yearly naming the requirement", func(r *catalog.Resource) {
			r.UpdateFrequency, r.Timeliness = "yearly", "实时性要求：每年更新"
		}, "", ""},
		{"two cadences stated", func(r *catalog.Resource) {
			r.UpdateFrequency, r.Timeliness = "monthly", "每月汇总更新，变更实时推送"
		}, "", ""},
		{"other frequency with any timeliness", func(r *catalog.Resource) {
			r.UpdateFrequency, r.FrequencyOther, r.Timeliness = catalog.FrequencyOther, "每三年", "实时推送"
		}, "", ""},
		{"conditionally shared but open to all", func(r *catalog.Resource) {
			r.ShareType, r.ShareConditions, r.OpenAttribute = catalog.Conditional, "经审批", catalog.Open
		}, "open_attribute", "inconsistent_open_attribute"},
		{"conditionally shared and conditionally open", func(r *catalog.Resource) {
			r.ShareType, r.ShareConditions = catalog.Conditional, "经审批"
			r.OpenAttribute, r.OpenConditions = catalog.OpenConditional, "申请"
		}, "", ""},
		{"security level", func(r *catalog.Resource) { r.SecurityLevel = 5 }, "security_level", "invalid_security_level"},
		{"network zone", func(r *catalog.Resource) { r.NetworkZone = "lan" }, "network_zone", "invalid_network_zone"},
		{"domain", func(r *catalog.Resource) { r.Domain = "23" }, "domain", "invalid_domain"},
		{"other domain needs text", func(r *catalog.Resource) { r.Domain = catalog.DomainOther }, "domain_other", "domain_other_required"},
		{"domain text only for other", func(r *catalog.Resource) { r.DomainOther = "政务服务" }, "domain_other", "unexpected_domain_other"},
		{"service item name", func(r *catalog.Resource) { r.ServiceItems = []catalog.ServiceItem{{Code: "X1"}} }, "service_items[0].name", "service_item_name_required"},
		{"related code format", func(r *catalog.Resource) { r.RelatedCodes = []string{"A-1"} }, "related_codes[0]", "invalid_related_code"},
		{"duplicate related code", func(r *catalog.Resource) {
			r.RelatedCodes = []string{"101001/000001", "101001/000001"}
		}, "related_codes[1]", "duplicate_related_code"},
		{"NUL in the name", func(r *catalog.Resource) { r.Name = "户籍\x00信息" }, "name", "invalid_characters"},
		{"escape in the abstract", func(r *catalog.Resource) { r.Abstract = "户籍\x1b[31m" }, "abstract", "invalid_characters"},
		{"lines and tabs in the abstract", func(r *catalog.Resource) { r.Abstract = "第一行\r\n第二行\t续" }, "", ""},
		{"line break in an item name", func(r *catalog.Resource) { r.Items[1].Name = "姓\n名" }, "", ""}, // collapsed to a space
		{"invalid UTF-8 in an item name", func(r *catalog.Resource) { r.Items[1].Name = "姓\xff名" }, "items[1].name", "invalid_characters"},
		{"C1 control in a description", func(r *catalog.Resource) { r.Items[1].Description = "说\u0085明" }, "items[1].description", "invalid_characters"},
		{"NUL in the category name", func(r *catalog.Resource) {
			r.Classification.Class, r.Classification.CategoryName = catalog.Departmental, "人\x00口"
		}, "classification.category_name", "invalid_characters"},
		{"NUL in the share scope", func(r *catalog.Resource) { r.ShareScope = "全区\x00" }, "share_scope", "invalid_characters"},
		{"NUL in the timeliness", func(r *catalog.Resource) { r.Timeliness = "T+1\x00" }, "timeliness", "invalid_characters"},
		{"tab in the other frequency", func(r *catalog.Resource) {
			r.UpdateFrequency, r.FrequencyOther = catalog.FrequencyOther, "每三年\t一次"
		}, "update_frequency_other", "invalid_characters"},
		{"placeholder abstract", func(r *catalog.Resource) { r.Abstract = " 无 " }, "abstract", "placeholder_value"},
		{"placeholder share scope", func(r *catalog.Resource) { r.ShareScope = "/" }, "share_scope", "placeholder_value"},
		{"placeholder timeliness", func(r *catalog.Resource) { r.Timeliness = "暂无" }, "timeliness", "placeholder_value"},
		{"placeholder name", func(r *catalog.Resource) { r.Name = "N/A" }, "name", "placeholder_value"},
		{"placeholder service item", func(r *catalog.Resource) { r.ServiceItems[0].Name = "-" }, "service_items[0].name", "placeholder_value"},
		{"words beginning like a placeholder", func(r *catalog.Resource) { r.Abstract, r.Timeliness = "无犯罪记录人员", "-1 天" }, "", ""},
		{"NUL in a service item code", func(r *catalog.Resource) { r.ServiceItems[0].Code = "X\x001" }, "service_items[0].code", "invalid_characters"},
		{"service item code of words", func(r *catalog.Resource) { r.ServiceItems[0].Code = "省内" }, "service_items[0].code", "invalid_service_item_code"},
		{"service item code with a space", func(r *catalog.Resource) { r.ServiceItems[0].Code = "MB2C 001" }, "service_items[0].code", "invalid_service_item_code"},
		{"category name at its limit", func(r *catalog.Resource) {
			r.Classification.Class, r.Classification.CategoryName = catalog.Departmental, strings.Repeat("政", catalog.MaxClassName)
		}, "", ""},
		{"category name too long", func(r *catalog.Resource) {
			r.Classification.Class, r.Classification.CategoryName = catalog.Departmental, strings.Repeat("政", catalog.MaxClassName+1)
		}, "classification.category_name", "too_long"},
		{"subcategory name too long", func(r *catalog.Resource) {
			r.Classification.SubcategoryName = strings.Repeat("政", catalog.MaxClassName+1)
		}, "classification.subcategory_name", "too_long"},
		{"detail name too long", func(r *catalog.Resource) {
			r.Classification.DetailCode, r.Classification.DetailName = "1", strings.Repeat("政", catalog.MaxClassName+1)
		}, "classification.detail_name", "too_long"},
		{"service item name too long", func(r *catalog.Resource) { r.ServiceItems[0].Name = strings.Repeat("办", catalog.MaxServiceName+1) },
			"service_items[0].name", "too_long"},
		{"service item code too long", func(r *catalog.Resource) { r.ServiceItems[0].Code = strings.Repeat("1", catalog.MaxServiceCode+1) },
			"service_items[0].code", "too_long"},
		{"too many service items", func(r *catalog.Resource) {
			for i := len(r.ServiceItems); i <= catalog.MaxServiceItems; i++ {
				r.ServiceItems = append(r.ServiceItems, catalog.ServiceItem{Name: "事项" + strconv.Itoa(i)})
			}
		}, "service_items", "too_many_items"},
		{"related code too long", func(r *catalog.Resource) {
			r.RelatedCodes = []string{"101001/" + strings.Repeat("0", catalog.MaxRelatedCode-6)}
		}, "related_codes[0]", "too_long"},
		{"too many related codes", func(r *catalog.Resource) {
			for i := 0; i <= catalog.MaxRelatedCodes; i++ {
				r.RelatedCodes = append(r.RelatedCodes, fmt.Sprintf("101001/%06d", i+1))
			}
		}, "related_codes", "too_many_items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := household()
			tt.change(&r)
			got := catalog.ValidateEntry(r)
			if tt.field == "" {
				if len(got) != 0 {
					t.Fatalf("got %v, want no errors", got)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("got no errors, want %s on %s", tt.code, tt.field)
			}
			if got[0].Field != tt.field || got[0].Code != tt.code {
				t.Errorf("got %s on %s (%s), want %s on %s", got[0].Code, got[0].Field, got[0].Message, tt.code, tt.field)
			}
			if got[0].Message == "" {
				t.Error("empty message")
			}
		})
	}
}

// TestIdentifyingItemMessage: the message of a personal or enterprise
// entry without an identifying item is shared by the console, the API and
// catalog import (CLI and upload), so it names the field by the word the
// console's column and the workbook's header share, 标识主体, and no
// channel's own (the workbook's former 是否主体标识, the API's
// identifies_subject, which its error's field names), nor asks to tick a
// box (请勾选), which only the console has.
func TestIdentifyingItemMessage(t *testing.T) {
	r := household()
	r.Items[0].IdentifiesSubject = false
	got := catalog.ValidateEntry(r)
	if len(got) != 1 || got[0].Code != "identifying_item_required" {
		t.Fatalf("got %v, want identifying_item_required", got)
	}
	m := got[0].Message
	if want := "自然人数据资源至少要有一个标识主体的信息项（如公民身份号码），请将该信息项标为“标识主体”"; m != want {
		t.Errorf("message %q, want %q", m, want)
	}
	for _, channel := range []string{"是否主体标识", "identifies_subject", "勾选", "数据表"} {
		if strings.Contains(m, channel) {
			t.Errorf("message %q says %q", m, channel)
		}
	}
}

// TestLevelFourShareMessage: the refusal of a level-4 entry shared
// unconditionally says who reviews each request in the glossary's words,
// the 数源部门 and the 共享申请 (it said 提供部门 and 使用申请).
func TestLevelFourShareMessage(t *testing.T) {
	r := household()
	r.SecurityLevel = 4
	got := catalog.ValidateEntry(r)
	if len(got) == 0 || got[0].Code != "inconsistent_share_type" || !strings.Contains(got[0].Message, "（由数源部门逐一审核共享申请）") {
		t.Errorf("got %v, want inconsistent_share_type naming 数源部门 and 共享申请", got)
	}
}

func notShared(r *catalog.Resource) {
	r.ShareType, r.ShareMethods, r.ShareScope = catalog.NotShared, nil, ""
	r.LegalBasis = "《中华人民共和国未成年人保护法》第一百零三条"
}

func TestValidateEntryReportsEveryProblem(t *testing.T) {
	r := household()
	r.Name, r.Domain, r.Items[1].Type = "", "00", "Z"
	got := catalog.ValidateEntry(r)
	var fields []string
	for _, e := range got {
		fields = append(fields, e.Field)
	}
	want := "name items[1].type domain"
	if strings.Join(fields, " ") != want {
		t.Errorf("got fields %q, want %q", strings.Join(fields, " "), want)
	}
}

func TestLookup(t *testing.T) {
	for _, tt := range []struct{ field, in, want string }{
		{"share_type", "有条件共享", "conditional"},
		{"update_frequency", " 每季度 ", "quarterly"},
		{"domain", "社保就业", "15"},
		{"data_type", "c", "C"},
		{"network_zone", "政务外网", "egov_extranet"},
	} {
		if got, ok := catalog.Lookup(tt.field, tt.in); !ok || got != tt.want {
			t.Errorf("Lookup(%s, %q) = %q, %v; want %q", tt.field, tt.in, got, ok, tt.want)
		}
	}
	if _, ok := catalog.Lookup("domain", "航天"); ok {
		t.Error("Lookup(domain, 航天) found a code")
	}
	if n := len(catalog.Vocabulary("domain")); n != 23 {
		t.Errorf("domains = %d, want 22 and 其他", n)
	}
}

// TestRelatedCodeMessage: a related code of the right form whose
// classification code starts with no class (999999/999999) is refused
// naming its classification code and the classes, not as a malformed code
// with the format's example, which it follows; a malformed code keeps the
// format message. The console and the API show this message.
func TestRelatedCodeMessage(t *testing.T) {
	for _, tt := range []struct {
		code       string
		want, omit []string
	}{
		{"999999/999999", []string{"分类码 999999 不存在", "1（基础信息资源）、2（主题信息资源）或 3（部门信息资源）", "999999/999999"}, []string{"格式应为"}},
		{"401001/000001", []string{"分类码 401001 不存在", "401001/000001"}, []string{"格式应为"}},
		{"A-1", []string{"格式应为", "301001/000001", "A-1"}, []string{"不存在"}},
		{"3010/000001", []string{"格式应为", "3010/000001"}, []string{"不存在"}},
	} {
		r := household()
		r.RelatedCodes = []string{tt.code}
		got := catalog.ValidateEntry(r)
		if len(got) != 1 || got[0].Code != "invalid_related_code" || got[0].Field != "related_codes[0]" {
			t.Fatalf("%s: got %v, want invalid_related_code on related_codes[0]", tt.code, got)
		}
		m := got[0].Message
		for _, w := range tt.want {
			if !strings.Contains(m, w) {
				t.Errorf("%s: message %q: no %q", tt.code, m, w)
			}
		}
		for _, o := range tt.omit {
			if strings.Contains(m, o) {
				t.Errorf("%s: message %q says %q", tt.code, m, o)
			}
		}
	}
}

// TestMaximalIsValid: catalogtest.Maximal, the entry the body limit and
// export tests build at every limit, is valid, whichever character fills
// its free texts.
func TestMaximalIsValid(t *testing.T) {
	for _, fill := range []string{"<", catalogtest.Astral, "说"} {
		if got := catalog.ValidateEntry(catalogtest.Maximal(fill)); len(got) != 0 {
			t.Errorf("Maximal(%q): %v", fill, got)
		}
	}
}
