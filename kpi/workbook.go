package kpi

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the workbook, one per KPI, as a county office reads them.
const (
	SheetAbout   = "说明"
	SheetSummary = "指标汇总"
	SheetTiers   = "示范站点"
	SheetRewards = "奖励候选"
	SheetVolumes = "站点交易额"
	SheetTenants = "入驻企业"
	SheetPrice   = "农产品降价"
	SheetJoint   = "共同配送"
	SheetFlows   = "包裹流量"
	SheetBoxes   = "新平礼好包装"
)

func yuan(fen int64) float64 { return float64(fen) / 100 }

func yesNo(b bool) string {
	if b {
		return "达标"
	}
	return "未达标"
}

// SummaryLine is one line of the KPI table: target, actual, met or not.
type SummaryLine struct {
	Item   string `json:"item"`
	Target string `json:"target"`
	Actual string `json:"actual"`
	Met    bool   `json:"met"`
}

// Summary is the KPI table of 附件1 as the scorecard fills it.
func (sc *Scorecard) Summary() []SummaryLine {
	var out []SummaryLine
	for _, t := range sc.StationsByTier {
		n := t.Stations
		if t.Level == len(Tiers) {
			n = t.AtLeast
		}
		out = append(out, SummaryLine{Item: t.Name + "站点", Target: fmt.Sprintf("≥%d", t.Target), Actual: fmt.Sprint(n), Met: t.Met})
	}
	h := sc.HubTenants
	out = append(out,
		SummaryLine{"县级物流仓储配送中心入驻快递企业", "≥6", fmt.Sprint(h.Express.Actual), h.Express.Met},
		SummaryLine{"县级物流仓储配送中心入驻大宗物流企业", "≥3", fmt.Sprint(h.Bulk.Actual), h.Bulk.Met},
		SummaryLine{"共同配送传统商贸企业", "≥3", fmt.Sprint(h.Trade.Actual), h.Trade.Met},
		SummaryLine{"认证企业农产品快递发货价格降低幅度", "≥10%", fmt.Sprintf("%.2f%%", sc.PriceReduction.ReductionPct), sc.PriceReduction.Met},
		SummaryLine{"共同配送降低配送成本", ">0", fmt.Sprintf("%.2f元 (%.2f%%)", yuan(sc.JointDeliverySaving.SavingFen), sc.JointDeliverySaving.SavingPct), sc.JointDeliverySaving.Met},
		SummaryLine{"“新平礼好”品牌包装箱", "≥4500000", fmt.Sprint(sc.BrandedBoxes.Boxes), sc.BrandedBoxes.Met},
	)
	return out
}

// WriteCSV writes the KPI table as CSV (UTF-8 with a byte-order mark, so
// that spreadsheet programs read the Chinese headers).
func (sc *Scorecard) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"指标", "目标", "实际", "是否达标", "统计期间"})
	for _, l := range sc.Summary() {
		_ = cw.Write([]string{l.Item, l.Target, l.Actual, yesNo(l.Met), sc.From + " 至 " + sc.To})
	}
	cw.Flush()
	return cw.Error()
}

// Workbook builds the XLSX a county office can forward as it is: Chinese
// headers, one sheet per KPI, the period and the sources stated.
func (sc *Scorecard) Workbook() (*excelize.File, error) {
	f := excelize.NewFile()
	b := &book{f: f}
	b.sheet(SheetAbout, []string{"项目", "内容"}, [][]any{
		{"报表", "新平县电子商务进农村综合示范项目绩效目标（附件1）完成情况"},
		{"统计期间", sc.From + " 至 " + sc.To},
		{"站点交易额统计月份", sc.Window.First + " 至 " + sc.Window.Last},
		{"生成时间 (UTC)", sc.GeneratedAt},
		{"站点交易额数据来源", "上行包裹申报货值 (parcels) 及导入的网络销售记录: " + fmt.Sprint(sc.Sources)},
		{"降价数据来源", sc.PriceReduction.Source},
		{"共同配送数据来源", sc.JointDeliverySaving.Source},
		{"入驻企业口径", sc.HubTenants.Rule},
		{"演示数据", map[bool]string{true: "是：含演示数据，不得作为正式报送依据", false: "否"}[sc.DemoData]},
		{"金额单位", "元"},
	})
	var rows [][]any
	for _, l := range sc.Summary() {
		rows = append(rows, []any{l.Item, l.Target, l.Actual, yesNo(l.Met)})
	}
	b.sheet(SheetSummary, []string{"指标", "目标", "实际", "是否达标"}, rows)
	rows = nil
	for _, t := range sc.StationsByTier {
		rows = append(rows, []any{t.Level, t.Name, yuan(t.MinFen), yuan(t.RewardFen), t.Target, t.Stations, t.AtLeast, yesNo(t.Met)})
	}
	b.sheet(SheetTiers, []string{"档次", "名称", "年交易额门槛(元)", "奖励(元)", "目标(个)", "本档站点(个)", "达到门槛站点(个)", "是否达标"}, rows)
	rows = nil
	r := sc.Rewards
	for _, c := range r.Candidates {
		rows = append(rows, []any{c.Rank, c.Station, c.Name, c.Township, yuan(c.VolumeFen), c.Tier, yuan(c.RewardFen), map[bool]string{true: "是", false: "否"}[c.WithinBudget]})
	}
	rows = append(rows, []any{"合计", "", "", "", "", "", yuan(r.EligibleFen), ""},
		[]any{"预算", "", "", "", "", "", yuan(r.BudgetFen), ""},
		[]any{"超出预算", "", "", "", "", "", yuan(r.OverByFen), map[bool]string{true: "超出预算：按交易额排序，由领导小组研究确定", false: ""}[r.OverBudget]})
	b.sheet(SheetRewards, []string{"排名", "站点编码", "站点名称", "乡镇", "年交易额(元)", "档次", "奖励(元)", "预算内"}, rows)
	rows = nil
	for _, v := range sc.Volumes {
		for _, f := range v.Figures {
			rows = append(rows, []any{v.Station, v.Name, v.Township, f.Month, f.Source, yuan(f.SalesFen), map[bool]string{true: "演示数据", false: ""}[f.Demo]})
		}
		rows = append(rows, []any{v.Station, v.Name, v.Township, "合计", "", yuan(v.VolumeFen), ""})
	}
	b.sheet(SheetVolumes, []string{"站点编码", "站点名称", "乡镇", "月份", "数据来源", "交易额(元)", "备注"}, rows)
	rows = nil
	for _, k := range []struct {
		name string
		t    Tenants
	}{{"快递企业", sc.HubTenants.Express}, {"大宗物流企业", sc.HubTenants.Bulk}, {"传统商贸企业", sc.HubTenants.Trade}} {
		for _, c := range k.t.Companies {
			rows = append(rows, []any{k.name, c.Code, c.Name, c.StationedSince, c.Parcels})
		}
		rows = append(rows, []any{k.name + "合计", "", fmt.Sprintf("目标≥%d", k.t.Target), yesNo(k.t.Met), k.t.Actual})
	}
	b.sheet(SheetTenants, []string{"类别", "编码", "企业名称", "入驻日期", "期间包裹数/合计"}, rows)
	rows = nil
	p := sc.PriceReduction
	for _, l := range p.Carriers {
		rows = append(rows, []any{l.Carrier, l.Parcels, yuan(l.ChargedFen), yuan(l.BaselineFen), yuan(l.SavingFen), l.ReductionPct, yesNo(l.MeetsTarget)})
	}
	rows = append(rows, []any{"合计", p.Parcels, yuan(p.ChargedFen), yuan(p.BaselineFen), yuan(p.SavingFen), p.ReductionPct, yesNo(p.Met)})
	b.sheet(SheetPrice, []string{"快递企业", "包裹数", "实收(元)", "基准价(元)", "节省(元)", "降幅(%)", "是否达标(≥10%)"}, rows)
	j := sc.JointDeliverySaving
	b.sheet(SheetJoint, []string{"天数", "共同配送成本(元)", "分别配送成本(元)", "节省(元)", "节省(%)", "共同配送里程(km)", "分别配送里程(km)"},
		[][]any{{j.Days, yuan(j.JointFen), yuan(j.SeparateFen), yuan(j.SavingFen), j.SavingPct, j.JointKm, j.SeparateKm}})
	rows = nil
	for _, fl := range sc.Flows {
		dir := map[string]string{"down": "下行(工业品)", "up": "上行(农产品)"}[fl.Direction]
		rows = append(rows, []any{fl.Month, fl.Township, dir, fl.Parcels})
	}
	b.sheet(SheetFlows, []string{"月份", "乡镇", "方向", "包裹数"}, rows)
	rows = nil
	for _, q := range sc.BrandedBoxes.Quarters {
		rows = append(rows, []any{q.Quarter, q.Merchant, q.Name, q.Boxes, map[bool]string{true: "是", false: "否"}[q.Eligible], yuan(q.SubsidyFen)})
	}
	rows = append(rows, []any{"合计", "", fmt.Sprintf("目标≥%d箱", sc.BrandedBoxes.Target), sc.BrandedBoxes.Boxes, yesNo(sc.BrandedBoxes.Met), yuan(sc.BrandedBoxes.SubsidyFen)})
	b.sheet(SheetBoxes, []string{"季度", "企业编号", "企业名称", "包装箱(个)", "达到1万个/季度", "补贴(元)"}, rows)
	if b.err != nil {
		f.Close()
		return nil, b.err
	}
	f.DeleteSheet("Sheet1")
	if i, err := f.GetSheetIndex(SheetAbout); err == nil {
		f.SetActiveSheet(i)
	}
	return f, nil
}

// book writes sheets and keeps the first error.
type book struct {
	f   *excelize.File
	err error
}

func (b *book) sheet(name string, header []string, rows [][]any) {
	if b.err != nil {
		return
	}
	if _, b.err = b.f.NewSheet(name); b.err != nil {
		return
	}
	h := make([]any, len(header))
	for i, v := range header {
		h[i] = v
	}
	if b.err = b.f.SetSheetRow(name, "A1", &h); b.err != nil {
		return
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if b.err = b.f.SetSheetRow(name, cell, &r); b.err != nil {
			return
		}
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	b.err = b.f.SetColWidth(name, "A", last, 16)
	if b.err == nil {
		b.err = b.f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
}
