package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/kpi"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/stations"
)

// newKPICmd is `tongpei kpi`: the plan's scorecard over a period, printed
// as the KPI table and optionally written as the workbook and CSV that
// GET /v1/reports/kpi answers.
func newKPICmd() *cobra.Command {
	var c config
	var from, to, xlsx, csvFile string
	cmd := &cobra.Command{
		Use:   "kpi --from YYYY-MM-DD --to YYYY-MM-DD [--xlsx FILE] [--csv FILE]",
		Short: "Print the county plan's scorecard (target, actual, met) and write it as an XLSX workbook",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runKPI(cmd.Context(), c, from, to, xlsx, csvFile, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "first day of the period, YYYY-MM-DD (required)")
	cmd.Flags().StringVar(&to, "to", "", "last day of the period, YYYY-MM-DD (required)")
	cmd.Flags().StringVar(&xlsx, "xlsx", "", "write the workbook (one sheet per KPI) to this file")
	cmd.Flags().StringVar(&csvFile, "csv", "", "write the KPI table as CSV to this file")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	addConfigFlags(cmd, &c, false)
	return cmd
}

func runKPI(ctx context.Context, c config, from, to, xlsx, csvFile string, stdout io.Writer) error {
	pool, err := pg.Open(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	svc := kpi.NewService(pool, stations.NewRegistry(pool), stations.NewCustody(pool), pricing.NewService(pool), dispatch.NewService(pool))
	sc, err := svc.Scorecard(ctx, from, to)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "指标 (%s 至 %s)\t目标\t实际\t\n", sc.From, sc.To)
	for _, l := range sc.Summary() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", l.Item, l.Target, l.Actual, map[bool]string{true: "达标", false: "未达标"}[l.Met])
	}
	r := sc.Rewards
	fmt.Fprintf(tw, "奖励合计 %.2f 元, 预算 %.2f 元\t\t\t%s\n", float64(r.EligibleFen)/100, float64(r.BudgetFen)/100,
		map[bool]string{true: fmt.Sprintf("超出预算 %.2f 元", float64(r.OverByFen)/100), false: "预算内"}[r.OverBudget])
	if sc.DemoData {
		fmt.Fprintln(tw, "注意：含演示数据 (demonstration data)")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if xlsx != "" {
		wb, err := sc.Workbook()
		if err != nil {
			return err
		}
		defer wb.Close()
		if err := wb.SaveAs(xlsx); err != nil {
			return fmt.Errorf("cannot write %s: %w; check the directory exists and is writable", xlsx, err)
		}
		fmt.Fprintln(stdout, "workbook written to", xlsx)
	}
	if csvFile != "" {
		f, err := os.Create(csvFile)
		if err != nil {
			return fmt.Errorf("cannot write %s: %w", csvFile, err)
		}
		defer f.Close()
		if err := sc.WriteCSV(f); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "CSV written to", csvFile)
	}
	return nil
}
