package settlement

import (
	"fmt"

	"github.com/tongpei/tongpei/dispatch"
)

// The ledger's texts, Chinese first: a county's carriers and keepers read
// their statements in Chinese; the English is kept beside each text
// (memo_en, detail_en) for the console's English switch and for auditors.

// text is one ledger text in both languages.
type text struct{ zh, en string }

// same is a text a person typed (a reversal's reason): one text in both.
func same(s string) text { return text{s, s} }

var methodZh = map[string]string{"shapley_exact": "沙普利值（精确）", "shapley_sampled": "沙普利值（抽样）"}
var roundingZh = map[string]string{"largest_remainder": "最大余数法取整"}
var eventZh = map[string]string{"picked_up": "取件", "accepted": "收寄"}

// zhOr is m's Chinese for code, or the code itself.
func zhOr(m map[string]string, code string) string {
	if s, ok := m[code]; ok {
		return s
	}
	return code
}

func planMemo(plan *dispatch.Plan, cs *dispatch.CostShares) text {
	return text{
		fmt.Sprintf("计划 %d（第 %d 版）共同配送车队费用，%s分摊（%s）", plan.ID, plan.Version, zhOr(methodZh, cs.Method), zhOr(roundingZh, cs.Rounding)),
		fmt.Sprintf("joint fleet cost of plan %d (v%d), %s split (%s)", plan.ID, plan.Version, cs.Method, cs.Rounding),
	}
}

func carrierShareDetail(s dispatch.CarrierShare) text {
	alone := float64(s.StandaloneFen) / 100
	return text{
		fmt.Sprintf("%d 件，%d 个站点；单独配送 %.2f 元", s.Parcels, s.Stops, alone),
		fmt.Sprintf("%d parcels, %d stops; alone %.2f CNY", s.Parcels, s.Stops, alone),
	}
}

func operatorDetail(routes int) text {
	return text{fmt.Sprintf("%d 条线路", routes), fmt.Sprintf("%d routes", routes)}
}

func feesMemo(date string) text {
	return text{date + " 驿站服务费", "station handling fees of " + date}
}

// feeDetail is a carrier's fee line; the keeper's names the carrier first.
func feeDetail(station, event string, parcels, feeFen int64) text {
	return text{
		fmt.Sprintf("%s %s：%d 件 × %d 分", station, zhOr(eventZh, event), parcels, feeFen),
		fmt.Sprintf("%s %s: %d parcels × %d fen", station, event, parcels, feeFen),
	}
}

func (t text) after(prefix string) text { return text{prefix + " " + t.zh, prefix + " " + t.en} }

func replacedByPlan(planID int64) text {
	return text{fmt.Sprintf("已由计划 %d 取代", planID), fmt.Sprintf("replaced by plan %d", planID)}
}

func feesRecounted(date string) text {
	return text{date + " 驿站服务费重新计数", "station fees of " + date + " recounted"}
}

func reversalMemo(id int64, why text) text {
	return text{fmt.Sprintf("冲正第 %d 笔分录：%s", id, why.zh), fmt.Sprintf("reverses entry %d: %s", id, why.en)}
}
