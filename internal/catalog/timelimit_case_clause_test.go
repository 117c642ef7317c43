package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitCaseClause: a bound whose clause names a case's action
// is the case's, beside real time naming the delivery real time, however
// the law words the action: 作出…决定 with a long object (作出批准或者不予批准的
// 决定), an action after 依照/依据/根据/按照…规定 (标准), after 对…进行 or
// 向 the applicant (向申请人颁发), and 发给 a licence (发给《…许可证》), but
// not 向 anyone else nor 发给 anything else (3日内向数据中心发送核准信息,
// 3日内发给数据中心验证 are the data's, 3 days, for part of 2026-12-06 real
// time); and a delivery before the 后 or
// 起 the bound counts from is its start, not what it bounds
// (申请人提供全部材料后20个工作日内办结, 自收到报送材料之日起十日内予以审核). Until
// this change they read as the data's bound and were refused, among
// them 13 legal-basis cells of the shared realdata joined with 实时推送
// (the rows below quote the sentences that decided). A bracket parts no
// join (（3日内办结）并上传): the delivery 并 or 后 joins to the bound is the
// bound's, as without the bracket; until this change real time.
func TestReadTimeLimitCaseClause(t *testing.T) {
	realTime := []string{
		// Realdata legal-basis cells (basis_excerpt, basis_clause).
		"实时推送，省、自治区、直辖市人民政府司法行政部门应当自收到报送材料之日起十日内予以审核，作出是否准予执业的决定",
		"实时推送，文化行政部门应当自收到申请之日起15个工作日内依据本条例第八条的规定作出决定",
		"实时推送，符合规定条件的，依法作出准予许可的书面决定，并于10个工作日内发给《医疗器械生产许可证》",
		"实时推送，符合规定条件的，作出准予许可的书面决定，并于10个工作日内发给医疗器械经营许可证",
		"实时推送，并自作出决定之日起5个工作日内向申请人颁发化妆品生产许可证",
		"实时推送，自收到证明材料之日起30日内作出批准或者不予批准的决定",
		"实时推送，登记管理机关应当自收到登记申请书之日起30日内依照本条例的规定进行审查",
		"实时推送，受理申请的公安机关应当自受理申请之日起5日内对提交的有关材料进行审查",
		"实时推送，县级以上地方人民政府卫生行政部门自受理执业登记申请之日起45日内，根据本条例和医疗机构基本标准进行审核",
		// A delivery the bound counts from.
		"实时推送，申请人提供全部材料后20个工作日内办结",
		"申请人提供全部材料后20个工作日内办结，实时推送",
		"实时推送，上传之日起3日内作出决定",
		// 当日 or 当天 before the delivery, parted from the bound by a
		// space only, as with 实时.
		"当日推送 3日内办结",
		"当天更新 3日内办结",
		// A bracket around the case's bound alone.
		"实时推送（3日内办结）",
		"当日推送（3日内办结）",
		// 并非 and 后台 after a bracket join nothing to the bound.
		"实时推送（3日内办结）并非推送",
		"实时推送，（3日内办结）并非推送",
		"实时推送（3日内办结）后台推送",
		"（3日内办结）后台推送，实时推送",
	}
	for _, s := range realTime {
		if l, ok := catalog.ReadTimeLimit(s); !ok || l.Kind != catalog.LimitRealTime {
			t.Errorf("ReadTimeLimit(%q) = %+v, %v, want real time", s, l, ok)
		}
	}
	acceptedForBoth(t, realTime...)
	bound := []limitRead{
		// Brackets part no 并 or 后 join.
		{"实时推送，（3日内办结）并上传", catalog.LimitDays, 3, "3日内"},
		{"实时推送，3日内办结（并上传）", catalog.LimitDays, 3, "3日内"},
		{"（3日内办结）后发布，实时推送", catalog.LimitDays, 3, "3日内"},
		{"实时推送，【3个工作日内审核】后推送", catalog.LimitWorkingDays, 3, "3个工作日内"},
		// Held: a 后 or 起 of another word (后台, 后续, 最后, 然后, 发起) is
		// no start the bound counts from, and the delivery before it is
		// the bound's.
		{"实时推送，上传至后台3日内审核", catalog.LimitDays, 3, "3日内"},
		{"实时推送，推送至后台20个工作日内办结", catalog.LimitWorkingDays, 20, "20个工作日内"},
		{"实时推送，上传然后3日内审核", catalog.LimitDays, 3, "3日内"},
		{"实时推送，上传后续3日内审核", catalog.LimitDays, 3, "3日内"},
		// A bracket parts no 后续 join.
		{"实时推送（3日内办结）后续推送", catalog.LimitDays, 3, "3日内"},
		// Held: the bound names the delivery, or no case's action.
		{"实时推送，申请人提供全部材料后20个工作日内上传", catalog.LimitWorkingDays, 20, "20个工作日内"},
		{"实时推送，3日内发给共享平台", catalog.LimitDays, 3, "3日内"},
		{"实时推送，3日内对数据进行审核后推送", catalog.LimitDays, 3, "3日内"},
		{"实时推送，3日内依据本条例的规定推送", catalog.LimitDays, 3, "3日内"},
		{"实时推送，推送后3日内", catalog.LimitDays, 3, "3日内"},
		{"实时推送，3日内（办结）", catalog.LimitDays, 3, "3日内"},
		{"实时推送，15个工作日内依据本条例第八条的规定", catalog.LimitWorkingDays, 15, "15个工作日内"},
		// Held: 向 someone other than the applicant and 发给 something
		// other than a licence are no case's action, though a verb of one
		// (核准, 审批) or a 证 stands in the object.
		{"实时推送，3日内向数据中心发送核准信息", catalog.LimitDays, 3, "3日内"},
		{"实时推送，3日内向省平台报告审批结果", catalog.LimitDays, 3, "3日内"},
		{"实时推送，3日内向社会公开审批结果", catalog.LimitDays, 3, "3日内"},
		{"实时推送，3日内依据规定向数据中心发送审批结果", catalog.LimitDays, 3, "3日内"},
		{"实时推送，3日内发给省数据中心电子证照信息", catalog.LimitDays, 3, "3日内"},
		{"实时推送，3日内发给数据中心验证", catalog.LimitDays, 3, "3日内"},
		// Held: a case's bound with no real time beside it.
		{"申请人提供全部材料后20个工作日内办结", catalog.LimitWorkingDays, 20, "20个工作日内"},
	}
	readsAs(t, bound)
	var refused []string
	for _, tt := range bound {
		refused = append(refused, tt.text)
	}
	refusedForLicence(t, refused...)
}
