package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// catalogSeed is one demo catalog entry in compact form. items lists data
// items as name:type[length], ";"-separated; a name ending in * identifies
// the subject. methods is space-separated. cat and sub are the 项 and 目.
type catalogSeed struct {
	dept, name, abstract string
	class                catalog.Class
	cat, catName         string
	sub, subName         string
	subject              catalog.SubjectKind
	domain               string
	share                catalog.ShareType
	methods              string
	freq                 catalog.Frequency
	level                int
	open                 catalog.OpenAttribute
	items                string
	service              string
}

const (
	person = catalog.Person
	entity = catalog.LegalEntity
	none   = catalog.NoSubject
	uncond = catalog.Unconditional
	cond   = catalog.Conditional
	basic  = catalog.Basic
	dept   = catalog.Departmental
	theme  = catalog.Thematic
)

// demoCatalog is the district's catalog: base population and legal-entity
// data first (they become the one source of names, birth dates and the
// like), then each department's own data.
var demoCatalog = []catalogSeed{
	{"gaj", "户籍人口基本信息", "辖区常住户籍人口的身份、户籍地址、户主关系及迁入迁出变动情况", basic, "01", "人口", "001", "户籍信息", person, "18", uncond, "query verify batch", "realtime", 3, catalog.NotOpen,
		"公民身份号码*:C18;姓名:C50;曾用名:C50;性别:C2;民族:C20;出生日期:D;出生地:C200;户籍地址:C200;户主姓名:C50;与户主关系:C20;文化程度:C20;婚姻状况:C10", "户口登记"},
	{"gaj", "居民身份证信息", "居民身份证签发、换领、补领及有效期信息", basic, "01", "人口", "002", "身份证件", person, "18", uncond, "query verify", "realtime", 3, catalog.NotOpen,
		"公民身份号码*:C18;姓名:C50;证件有效期起始日期:D;证件有效期截止日期:D;签发机关:C100;证件状态:C10", "居民身份证申领"},
	{"gaj", "户口迁移登记信息", "户口迁入、迁出及准予迁入证明的办理记录", dept, "01", "公安", "001", "户政管理", person, "18", cond, "query batch", "daily", 3, catalog.NotOpen,
		"公民身份号码*:C18;迁移类型:C20;迁出地:C200;迁入地:C200;迁移原因:C100;办理日期:D", "户口迁移"},
	{"gaj", "居住证信息", "流动人口居住登记及居住证签注信息", dept, "01", "公安", "002", "流动人口管理", person, "18", cond, "query verify", "daily", 3, catalog.NotOpen,
		"公民身份号码*:C18;居住地址:C200;居住证编号:C30;签注有效期:D;居住事由:C50", "居住证申领"},
	{"gaj", "机动车驾驶证信息", "辖区机动车驾驶人及驾驶证准驾车型、记分和状态", dept, "01", "公安", "003", "交通管理", person, "13", cond, "verify", "realtime", 3, catalog.NotOpen,
		"公民身份号码*:C18;驾驶证档案编号:C20;准驾车型:C10;初次领证日期:D;累积记分:I;驾驶证状态:C10", "机动车驾驶证审验"},
	{"gaj", "无犯罪记录证明信息", "为个人出具的无犯罪记录证明开具记录", dept, "01", "公安", "004", "证明开具", person, "18", cond, "verify", "realtime", 4, catalog.NotOpen,
		"公民身份号码*:C18;证明编号:C30;开具日期:D;开具单位:C100;用途:C100", "无犯罪记录证明开具"},
	{"scj", "市场主体登记信息", "企业、个体工商户、农民专业合作社的设立、变更和注销登记信息", basic, "02", "法人", "001", "市场主体登记", entity, "10", uncond, "query verify batch", "realtime", 2, catalog.OpenConditional,
		"统一社会信用代码*:C18;企业名称:C200;法定代表人:C50;注册资本:Y;成立日期:D;住所:C200;经营范围:M;登记机关:C100;登记状态:C20", "企业设立登记"},
	{"scj", "营业执照信息", "电子营业执照及纸质营业执照的核发、换发信息", basic, "05", "电子证照", "001", "营业执照", entity, "10", uncond, "query verify", "realtime", 2, catalog.Open,
		"统一社会信用代码*:C18;企业名称:C200;类型:C50;法定代表人:C50;注册资本:Y;成立日期:D;营业期限:C50;发照日期:D", "营业执照核发"},
	{"scj", "食品经营许可信息", "食品经营者许可证的核发、变更、延续和注销信息", dept, "02", "市场监管", "001", "许可审批", entity, "10", uncond, "query verify", "daily", 2, catalog.Open,
		"统一社会信用代码*:C18;经营者名称:C200;许可证编号:C30;经营项目:M;有效期至:D;日常监督管理机构:C100", "食品经营许可"},
	{"scj", "行政处罚信息", "市场监管领域行政处罚决定书及履行情况", dept, "02", "市场监管", "002", "执法监管", entity, "17", uncond, "query batch", "daily", 2, catalog.Open,
		"统一社会信用代码*:C18;当事人名称:C200;处罚决定书文号:C50;违法行为类型:C100;处罚内容:M;处罚决定日期:D", "行政处罚"},
	{"scj", "经营异常名录信息", "列入和移出经营异常名录的市场主体", dept, "02", "市场监管", "003", "信用监管", entity, "17", uncond, "query verify", "daily", 2, catalog.Open,
		"统一社会信用代码*:C18;企业名称:C200;列入原因:C200;列入日期:D;移出原因:C200;移出日期:D", ""},
	{"scj", "特种设备使用登记信息", "电梯、锅炉、压力容器等特种设备使用登记", dept, "02", "市场监管", "004", "特种设备", entity, "14", cond, "query", "weekly", 2, catalog.NotOpen,
		"统一社会信用代码*:C18;使用单位名称:C200;设备类别:C50;设备代码:C30;使用登记证编号:C30;下次检验日期:D", "特种设备使用登记"},
	{"mzj", "婚姻登记信息", "结婚登记、离婚登记及补领婚姻登记证信息", dept, "03", "民政", "001", "婚姻登记", person, "11", cond, "verify query", "realtime", 3, catalog.NotOpen,
		"男方公民身份号码*:C18;男方姓名:C50;女方公民身份号码*:C18;女方姓名:C50;登记类型:C10;登记日期:D;结婚证字号:C30;登记机关:C100", "结婚登记"},
	{"mzj", "最低生活保障对象信息", "城乡最低生活保障对象及保障金发放情况", dept, "03", "民政", "002", "社会救助", person, "03", cond, "query verify", "monthly", 3, catalog.NotOpen,
		"公民身份号码*:C18;姓名:C50;家庭人口数:I;保障类别:C20;月保障金额:Y;纳入保障日期:D", "最低生活保障审批"},
	{"mzj", "特困人员供养信息", "特困人员认定及供养方式、标准", dept, "03", "民政", "003", "社会救助", person, "03", cond, "query verify", "monthly", 3, catalog.NotOpen,
		"公民身份号码*:C18;姓名:C50;供养方式:C20;供养标准:Y;认定日期:D", "特困人员认定"},
	{"mzj", "社会组织登记信息", "社会团体、民办非企业单位和基金会的登记信息", basic, "02", "法人", "002", "社会组织登记", entity, "07", uncond, "query verify", "daily", 1, catalog.Open,
		"统一社会信用代码*:C18;社会组织名称:C200;组织类型:C20;业务主管单位:C100;法定代表人（负责人）:C50;登记日期:D", "社会团体成立登记"},
	{"mzj", "殡葬服务信息", "遗体火化及殡葬服务记录", dept, "03", "民政", "004", "殡葬管理", person, "11", cond, "verify", "daily", 3, catalog.NotOpen,
		"公民身份号码*:C18;死亡日期:D;火化日期:D;火化证明编号:C30;殡仪馆名称:C100", "火化证明开具"},
	{"rsj", "社会保险参保信息", "企业职工基本养老、失业、工伤保险参保及缴费状态", dept, "04", "人社", "001", "社会保险", person, "15", cond, "query verify", "daily", 3, catalog.NotOpen,
		"公民身份号码*:C18;姓名:C50;参保险种:C50;参保状态:C10;参保单位:C200;首次参保日期:D;累计缴费月数:I", "社会保险参保登记"},
	{"rsj", "社会保障卡信息", "社会保障卡制发、挂失和补换信息", dept, "04", "人社", "002", "社会保障卡", person, "15", cond, "verify", "realtime", 3, catalog.NotOpen,
		"公民身份号码*:C18;社会保障卡号:C20;发卡日期:D;卡状态:C10", "社会保障卡申领"},
	{"rsj", "就业失业登记信息", "城乡劳动者就业登记与失业登记", dept, "04", "人社", "003", "就业服务", person, "15", cond, "query verify", "daily", 3, catalog.NotOpen,
		"公民身份号码*:C18;就业失业登记类型:C10;就业单位:C200;就业失业登记日期:D;就业失业登记证号:C30", "就业失业登记"},
	{"rsj", "职业资格证书信息", "职业资格及职业技能等级证书核发信息", dept, "04", "人社", "004", "职业能力", person, "15", uncond, "verify query", "monthly", 2, catalog.NotOpen,
		"公民身份号码*:C18;证书编号:C30;职业名称:C100;等级:C10;发证日期:D", "职业技能等级认定"},
	{"rsj", "劳动用工备案信息", "用人单位劳动合同订立和解除备案", dept, "04", "人社", "005", "劳动关系", entity, "15", cond, "batch", "monthly", 3, catalog.NotOpen,
		"统一社会信用代码*:C18;用人单位名称:C200;在职职工人数:I;备案月份:C7", "劳动用工备案"},
	{"wjj", "出生医学证明信息", "辖区助产机构签发的出生医学证明", basic, "05", "电子证照", "002", "出生医学证明", person, "16", cond, "verify query", "realtime", 3, catalog.NotOpen,
		"新生儿公民身份号码*:C18;出生医学证明编号:C10;新生儿姓名:C50;新生儿性别:C2;出生时间:T;出生地点:C200;母亲公民身份号码:C18;父亲公民身份号码:C18;签发机构:C100", "出生医学证明签发"},
	{"wjj", "医疗机构执业许可信息", "医疗机构设置审批和执业登记", dept, "05", "卫健", "001", "医政管理", entity, "16", uncond, "query verify", "weekly", 1, catalog.Open,
		"统一社会信用代码*:C18;机构名称:C200;诊疗科目:M;执业许可证登记号:C30;执业许可有效期至:D", "医疗机构执业登记"},
	{"wjj", "医师执业注册信息", "医师执业注册、变更及注销信息", dept, "05", "卫健", "002", "医政管理", person, "16", uncond, "verify", "weekly", 2, catalog.NotOpen,
		"公民身份号码*:C18;姓名:C50;执业证书编码:C30;执业类别:C20;执业范围:C100;执业地点:C200", "医师执业注册"},
	{"wjj", "预防接种信息", "儿童免疫规划疫苗预防接种记录", dept, "05", "卫健", "003", "疾病预防控制", person, "16", cond, "query", "daily", 3, catalog.NotOpen,
		"公民身份号码*:C18;疫苗名称:C100;接种剂次:I;接种日期:D;接种单位:C100", "预防接种证查验"},
	{"wjj", "死亡医学证明信息", "居民死亡医学证明（推断）书签发信息", dept, "05", "卫健", "004", "人口监测", person, "16", cond, "verify", "realtime", 3, catalog.NotOpen,
		"公民身份号码*:C18;死亡日期:D;死亡原因:C200;签发机构:C100;死亡医学证明编号:C30", "死亡医学证明签发"},
	{"zrj", "不动产登记信息", "房屋、土地等不动产所有权、使用权及抵押登记", basic, "03", "自然资源和空间地理", "001", "不动产登记", none, "04", cond, "query verify", "realtime", 3, catalog.NotOpen,
		"不动产单元号*:C28;不动产权证书号:C50;权利人:C200;权利人证件号码:C30;坐落:C200;面积:B;用途:C50;权利性质:C20;登记日期:D", "不动产登记"},
	{"zrj", "不动产抵押登记信息", "不动产抵押权设立、变更、注销登记", dept, "06", "自然资源", "001", "不动产登记", none, "19", cond, "query verify", "realtime", 3, catalog.NotOpen,
		"不动产登记证明号*:C50;抵押权人:C200;抵押人:C200;被担保主债权数额:Y;债务履行期限:C50;登记日期:D", "抵押权登记"},
	{"zrj", "建设用地规划许可信息", "建设用地规划许可证核发信息", dept, "06", "自然资源", "002", "规划管理", entity, "04", uncond, "query", "weekly", 1, catalog.Open,
		"统一社会信用代码*:C18;用地单位:C200;建设用地规划许可证编号:C30;用地位置:C200;用地面积:B;发证日期:D", "建设用地规划许可"},
	{"zrj", "地理国情监测数据", "地表覆盖、地理国情要素年度监测成果", theme, "01", "地理空间", "001", "地理国情", none, "08", cond, "file", "yearly", 2, catalog.OpenConditional,
		"图斑编号*:C30;地表覆盖类型:C50;图斑面积:B;监测年度:I", ""},
	{"zjj", "商品房预售许可信息", "商品房预售许可证核发信息", dept, "07", "住建", "001", "房地产市场", entity, "04", uncond, "query", "daily", 1, catalog.Open,
		"统一社会信用代码*:C18;开发企业名称:C200;预售许可证号:C30;项目名称:C200;预售面积:B;预售许可发证日期:D", "商品房预售许可"},
	{"zjj", "建筑业企业资质信息", "建筑业企业资质证书核发及变更", dept, "07", "住建", "002", "建筑市场", entity, "04", uncond, "query verify", "weekly", 1, catalog.Open,
		"统一社会信用代码*:C18;企业名称:C200;资质证书编号:C30;资质类别及等级:C200;资质证书有效期至:D", "建筑业企业资质认定"},
	{"zjj", "房屋网签备案信息", "商品房买卖及存量房交易合同网签备案", dept, "07", "住建", "003", "房屋交易", person, "04", cond, "query verify", "realtime", 3, catalog.NotOpen,
		"公民身份号码*:C18;合同备案号:C30;房屋坐落:C200;建筑面积:B;成交价格:Y;备案日期:D", "商品房买卖合同备案"},
	{"zjj", "公租房保障信息", "公共租赁住房申请、轮候及配租信息", dept, "07", "住建", "004", "住房保障", person, "04", cond, "query", "monthly", 3, catalog.NotOpen,
		"公民身份号码*:C18;家庭人口数:I;保障方式:C20;配租房源地址:C200;配租日期:D", "公共租赁住房申请"},
	{"zjj", "施工许可信息", "建筑工程施工许可证核发", dept, "07", "住建", "005", "工程建设", entity, "04", uncond, "query", "daily", 1, catalog.Open,
		"统一社会信用代码*:C18;建设单位:C200;施工许可证编号:C30;工程名称:C200;合同价格:Y;施工许可发证日期:D", "建筑工程施工许可"},
	{"jyj", "中小学学籍信息", "义务教育和普通高中学生学籍注册与变动", dept, "08", "教育", "001", "学籍管理", person, "05", cond, "query verify", "daily", 3, catalog.NotOpen,
		"公民身份号码*:C18;全国学籍号:C19;学校名称:C100;年级:C10;入学日期:D;学籍状态:C10", "转学申请"},
	{"jyj", "民办学校办学许可信息", "民办学校办学许可证核发", dept, "08", "教育", "002", "民办教育", entity, "05", uncond, "query", "monthly", 1, catalog.Open,
		"统一社会信用代码*:C18;学校名称:C200;办学许可证号:C30;办学层次:C50;办学许可有效期至:D", "民办学校设立"},
	{"jyj", "教师资格认定信息", "教师资格证书认定及补换发信息", dept, "08", "教育", "003", "教师管理", person, "05", uncond, "verify", "monthly", 2, catalog.NotOpen,
		"公民身份号码*:C18;证书号码:C30;资格种类:C50;任教学科:C50;资格认定日期:D", "教师资格认定"},
	{"jyj", "学生资助信息", "家庭经济困难学生资助发放记录", dept, "08", "教育", "004", "学生资助", person, "05", cond, "batch", "quarterly", 3, catalog.NotOpen,
		"公民身份号码*:C18;资助项目:C100;资助金额:Y;发放日期:D", ""},
	{"jyj", "义务教育入学登记信息", "小学一年级和初中一年级入学报名登记", dept, "08", "教育", "005", "招生入学", person, "05", cond, "query", "yearly", 3, catalog.NotOpen,
		"公民身份号码*:C18;报名学校:C100;户籍类别:C20;监护人公民身份号码:C18;报名日期:D", "义务教育入学"},
	{"swj", "纳税人登记信息", "单位和个体纳税人税务登记信息", dept, "09", "税务", "001", "纳税服务", entity, "19", cond, "query verify", "daily", 3, catalog.NotOpen,
		"统一社会信用代码*:C18;纳税人名称:C200;纳税人状态:C10;主管税务机关:C100;税务登记日期:D", "税务登记"},
	{"swj", "纳税信用等级信息", "纳税人年度纳税信用评价结果", dept, "09", "税务", "002", "信用管理", entity, "17", uncond, "query verify", "yearly", 2, catalog.Open,
		"统一社会信用代码*:C18;纳税人名称:C200;评价年度:I;信用等级:C2", "纳税信用评价"},
	{"swj", "完税证明信息", "个人和单位缴纳税款的完税证明", dept, "09", "税务", "003", "征收管理", entity, "19", cond, "verify", "realtime", 3, catalog.NotOpen,
		"统一社会信用代码*:C18;完税证明号码:C30;税种:C50;实缴金额:Y;入库日期:D", "开具税收完税证明"},
	{"swj", "个人所得税纳税记录", "个人所得税综合所得年度汇算及纳税记录", dept, "09", "税务", "004", "征收管理", person, "19", cond, "query verify", "monthly", 4, catalog.NotOpen,
		"公民身份号码*:C18;所得项目:C50;收入额:Y;已缴税额:Y;所属期:C7", "个人所得税纳税记录开具"},
	{"swj", "欠税公告信息", "欠税纳税人及欠税金额公告", dept, "09", "税务", "005", "征收管理", entity, "17", uncond, "query", "quarterly", 1, catalog.Open,
		"统一社会信用代码*:C18;纳税人名称:C200;欠税税种:C50;欠税余额:Y;公告日期:D", ""},
	{"clj", "残疾人证信息", "第二代残疾人证核发、换领及注销信息", basic, "05", "电子证照", "003", "残疾人证", person, "03", cond, "verify query", "realtime", 3, catalog.NotOpen,
		"公民身份号码*:C18;残疾人证号:C20;残疾类别:C20;残疾等级:C10;残疾人证发证日期:D;残疾人证有效期至:D", "残疾人证核发"},
	{"clj", "残疾人两项补贴信息", "困难残疾人生活补贴和重度残疾人护理补贴发放", dept, "10", "残联", "001", "残疾人保障", person, "03", cond, "query batch", "monthly", 3, catalog.NotOpen,
		"公民身份号码*:C18;补贴类型:C50;补贴金额:Y;发放月份:C7", "残疾人两项补贴申领"},
	{"clj", "残疾人就业创业扶持信息", "残疾人就业创业扶持项目及补助", dept, "10", "残联", "002", "就业扶持", person, "15", cond, "query", "quarterly", 3, catalog.NotOpen,
		"公民身份号码*:C18;扶持项目:C100;扶持金额:Y;扶持日期:D", ""},
	{"clj", "残疾人康复服务信息", "残疾人基本康复服务及辅助器具适配记录", dept, "10", "残联", "003", "康复服务", person, "16", cond, "query", "monthly", 3, catalog.NotOpen,
		"公民身份号码*:C18;康复服务项目:C100;服务机构:C100;服务日期:D", ""},
	{"clj", "残疾人托养服务机构信息", "残疾人托养服务机构名录", dept, "10", "残联", "004", "托养服务", entity, "11", uncond, "query", "yearly", 1, catalog.Open,
		"统一社会信用代码*:C18;机构名称:C200;床位数:I;地址:C200", ""},
	{"sfj", "律师执业信息", "律师执业证书核发、注销及执业机构", dept, "11", "司法", "001", "律师管理", person, "21", uncond, "query verify", "weekly", 1, catalog.Open,
		"公民身份号码*:C18;执业证号:C30;执业机构:C200;律师执业类别:C20;执业证发证日期:D", "律师执业许可"},
	{"sfj", "律师事务所执业许可信息", "律师事务所设立及执业许可证信息", dept, "11", "司法", "002", "律师管理", entity, "21", uncond, "query", "weekly", 1, catalog.Open,
		"统一社会信用代码*:C18;律师事务所名称:C200;执业许可证号:C30;负责人:C50;组织形式:C20", "律师事务所设立许可"},
	{"sfj", "公证书信息", "公证机构出具的公证书摘要", dept, "11", "司法", "003", "公证管理", person, "21", cond, "verify", "realtime", 3, catalog.NotOpen,
		"公民身份号码*:C18;公证书编号:C30;公证事项:C100;出具日期:D;公证机构:C100", "公证办理"},
	{"sfj", "法律援助信息", "法律援助申请、指派及结案情况", dept, "11", "司法", "004", "法律援助", person, "21", cond, "query", "daily", 3, catalog.NotOpen,
		"公民身份号码*:C18;案件类型:C50;受理日期:D;承办律师:C50;结案日期:D", "法律援助申请"},
	{"sfj", "未成年人社区矫正档案", "未成年社区矫正对象的矫正档案", dept, "11", "司法", "005", "社区矫正", person, "21", catalog.NotShared, "", "daily", 4, catalog.NotOpen,
		"公民身份号码*:C18;矫正类别:C20;矫正期限:C50;执行地:C200", ""},
	{"ylj", "基本医疗保险参保信息", "职工医保和城乡居民医保参保及缴费状态", dept, "12", "医保", "001", "参保管理", person, "16", cond, "query verify", "daily", 3, catalog.NotOpen,
		"公民身份号码*:C18;姓名:C50;险种类型:C50;医保参保状态:C10;参保日期:D;缴费档次:C20", "基本医疗保险参保登记"},
	{"ylj", "医疗费用结算信息", "参保人门诊及住院医疗费用结算明细", dept, "12", "医保", "002", "待遇结算", person, "16", cond, "query", "daily", 4, catalog.NotOpen,
		"公民身份号码*:C18;就诊机构:C100;结算日期:D;医疗总费用:Y;统筹支付金额:Y;个人自付金额:Y", "医疗费用报销"},
	{"ylj", "定点医药机构信息", "医保定点医疗机构和定点零售药店", dept, "12", "医保", "003", "定点管理", entity, "16", uncond, "query", "weekly", 1, catalog.Open,
		"统一社会信用代码*:C18;机构名称:C200;机构类型:C20;协议起始日期:D;协议截止日期:D", "定点医药机构申请"},
	{"ylj", "门诊慢特病待遇认定信息", "门诊慢性病、特殊疾病待遇资格认定", dept, "12", "医保", "004", "待遇认定", person, "16", cond, "verify", "daily", 4, catalog.NotOpen,
		"公民身份号码*:C18;病种名称:C100;待遇认定日期:D;待遇有效期至:D", "门诊慢特病待遇认定"},
	{"nh-zsj", "政务服务事项办件信息", "区行政服务中心受理和办结的政务服务事项办件", theme, "02", "政务服务", "001", "办件管理", none, "99", uncond, "query batch", "realtime", 2, catalog.NotOpen,
		"统一受理号*:C30;事项名称:C200;受理部门:C100;受理时间:T;办结时间:T;办理结果:C20", ""},
	{"nh-zsj", "企业开办一件事办理信息", "企业开办一件事联办的环节和时限", theme, "02", "政务服务", "002", "一件事", entity, "10", uncond, "query", "daily", 2, catalog.Open,
		"统一社会信用代码*:C18;企业名称:C200;开办用时:N;办结日期:D", "企业开办"},
}

// oneSources are the authoritative entries of the items that entries of
// the demo catalog share, by item key (catalog.ItemKey): the items of
// every entry of that key are the same data about the same kind of
// subject, which the cross-check (多源校核) compares. Items that are not the
// same data have names of their own (建设用地规划许可证编号, not the
// 许可证编号 of a food business licence), so that they neither conflict
// nor are compared.
var oneSources = map[string]string{
	"姓名":    "户籍人口基本信息",
	"企业名称":  "市场主体登记信息",
	"家庭人口数": "最低生活保障对象信息",
	"死亡日期":  "死亡医学证明信息",
	"机构名称":  "医疗机构执业许可信息",
}

// seedCatalog compiles the demo catalog in tx through the real lifecycle:
// each department creates and submits its entries, and the district
// operator approves them, naming the entry of oneSources as the one source
// of each conflicting item; a conflict of an item that oneSources does not
// list, items of unrelated data that only share a name, is an error. ids
// are the demo departments by key.
func seedCatalog(ctx context.Context, tx *sqldb.Tx, ids map[string]int64, now time.Time) error {
	operator := catalog.Actor{Actor: actor(ids["nh-zsj"]), Operator: true}
	for i, s := range demoCatalog {
		by := catalog.Actor{Actor: actor(ids[s.dept]), Editor: true}
		at := now.Add(time.Duration(i-len(demoCatalog)) * time.Hour)
		if _, err := publish(ctx, tx, by, operator, s.resource(), oneSource, at); err != nil {
			return fmt.Errorf("演示目录 %s：%w", s.name, err)
		}
	}
	return nil
}

// PublishEntry takes r through the catalog lifecycle as the tests need it,
// in one transaction: by compiles and submits it, operator decides each
// open one-data-one-source conflict for the entry published first, and
// approves.
func PublishEntry(ctx context.Context, db *sqldb.DB, by, operator catalog.Actor, r catalog.Resource, now time.Time) (int64, error) {
	var id int64
	err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
		id, err = publish(ctx, tx, by, operator, r, firstSource, now)
		return err
	})
	return id, err
}

// firstSource leaves a decided conflict c as it is and names the candidate
// published first as the authoritative entry of an undecided one.
func firstSource(e catalog.Entry, c catalog.Conflict) (int64, error) {
	if c.Decided() {
		return c.AuthoritativeEntryID, nil
	}
	return c.Candidates[0].EntryID, nil
}

// oneSource names the entry of oneSources as the authoritative entry of
// conflict c of entry e: e itself or one of the candidates.
func oneSource(e catalog.Entry, c catalog.Conflict) (int64, error) {
	want, ok := oneSources[c.ItemKey]
	if ok && e.Name == want {
		return e.ID, nil
	}
	for _, cand := range c.Candidates {
		if ok && cand.EntryName == want {
			return cand.EntryID, nil
		}
	}
	var others []string
	for _, cand := range c.Candidates {
		others = append(others, cand.EntryName)
	}
	return 0, fmt.Errorf("信息项 %s 与 %s 的同名信息项不是同一数据（演示目录未指定其权威数源）", c.ItemName, strings.Join(others, "、"))
}

// publish takes r through the catalog lifecycle in tx: by compiles and
// submits it, operator names the authoritative entry of each conflict
// (source) and approves.
func publish(ctx context.Context, tx *sqldb.Tx, by, operator catalog.Actor, r catalog.Resource,
	source func(catalog.Entry, catalog.Conflict) (int64, error), now time.Time) (int64, error) {
	e, err := catalog.Create(ctx, tx, by, by.DepartmentID, r, now)
	if err != nil {
		return 0, err
	}
	if _, err := catalog.Submit(ctx, tx, by, e.ID, now); err != nil {
		return 0, err
	}
	cs, err := catalog.Conflicts(ctx, tx, operator, e.ID)
	if err != nil {
		return 0, err
	}
	for _, c := range cs {
		id, err := source(e, c)
		if err != nil {
			return 0, err
		}
		if id != c.AuthoritativeEntryID {
			if _, err := catalog.Decide(ctx, tx, operator, e.ID, c.ID, id, now); err != nil {
				return 0, err
			}
		}
	}
	_, err = catalog.Approve(ctx, tx, operator, e.ID, now)
	return e.ID, err
}

func (s catalogSeed) resource() catalog.Resource {
	r := catalog.Resource{
		Name: s.name, Abstract: s.abstract, Format: "database", ShareType: s.share,
		Classification: catalog.Classification{Class: s.class, CategoryCode: s.cat, CategoryName: s.catName,
			SubcategoryCode: s.sub, SubcategoryName: s.subName},
		OpenAttribute: s.open, UpdateFrequency: s.freq, SecurityLevel: s.level, NetworkZone: "egov_extranet",
		Domain: s.domain, SubjectKind: s.subject, Timeliness: "业务办结后2个工作日内更新",
	}
	if s.domain == catalog.DomainOther {
		r.DomainOther = "政务服务"
	}
	for _, m := range strings.Fields(s.methods) {
		r.ShareMethods = append(r.ShareMethods, catalog.ShareMethod(m))
	}
	switch s.share {
	case catalog.Conditional:
		r.ShareConditions = "仅向依法履行相关职责的政务部门共享，使用部门须提交共享申请并说明用途"
	case catalog.NotShared:
		r.LegalBasis = "《中华人民共和国未成年人保护法》第一百零三条"
	}
	if s.share != catalog.NotShared {
		r.ShareScope = "南海区各政务部门"
	}
	if s.open == catalog.OpenConditional {
		r.OpenConditions = "经数据开放平台申请，签订数据利用协议后开放"
	}
	switch {
	case s.freq == catalog.Frequency("realtime"):
		r.Timeliness = "业务办结后实时推送"
	case catalog.LicenceWord(s.name) != "":
		// Licences and documents are real time whatever the update
		// frequency (seed 001 七(四)): 2 working days is refused for them.
		r.Timeliness = "证照信息产生或变更后次工作日前推送"
	}
	if s.service != "" {
		r.ServiceItems = []catalog.ServiceItem{{Name: s.service}}
	}
	for _, f := range strings.Split(s.items, ";") {
		name, spec, _ := strings.Cut(f, ":")
		it := catalog.Item{Name: strings.TrimSuffix(name, "*"), Type: catalog.DataType(spec[:1]), IdentifiesSubject: strings.HasSuffix(name, "*")}
		it.Length, _ = strconv.Atoi(spec[1:])
		r.Items = append(r.Items, it)
	}
	return r
}
