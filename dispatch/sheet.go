package dispatch

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// Route finds route number n (1-based) of the plan.
func (p *Plan) Route(n int) (*Route, error) {
	if n < 1 || n > len(p.Routes) {
		return nil, errs.E(errs.NotFound, "plan %d has no route %d (it has %d)", p.ID, n, len(p.Routes))
	}
	return &p.Routes[n-1], nil
}

func local(t time.Time) string { return t.In(County).Format("15:04") }

// runs are the route's trips; a plan stored before vans drove several
// runs has none, and its one run is the whole route.
func (r *Route) runs() []Trip {
	if len(r.Trips) > 0 {
		return r.Trips
	}
	return []Trip{{Number: 1, Depart: r.Depart, Return: r.Return, FirstSeq: 1, LastSeq: len(r.Stops),
		Stops: len(r.Stops), DistanceM: r.DistanceM, StartLoad: r.StartLoad}}
}

// WriteSheetText writes the driver's printable route sheet as plain text:
// for each run of the van's day what to load at the hub and when to
// leave, then one block per stop with the keeper to call and the parcels
// to hand over and take on, and a line for the keeper's signature.
func (p *Plan) WriteSheetText(w io.Writer, n int) error {
	r, err := p.Route(n)
	if err != nil {
		return err
	}
	runs := r.runs()
	fmt.Fprintf(w, "路单 Route sheet — plan %d v%d, %s, route %d\n", p.ID, p.Version, p.ServiceDate, r.Number)
	fmt.Fprintf(w, "Van %s (%s), operator %s. Leave %s %s at %s, back by %s. %.1f km%s, %d stops, %d run(s).\n",
		r.Vehicle, r.VehicleType, r.Operator, p.Hub.Name, p.Hub.Code, local(r.Depart), local(r.Return), float64(r.DistanceM)/1000, r.rangeNote(), len(r.Stops), len(runs))
	for _, t := range runs {
		fmt.Fprintf(w, "\n== Run %d of %d: %s ==\n", t.Number, len(runs), runLine(p, t))
		for _, st := range r.Stops[t.FirstSeq-1 : t.LastSeq] {
			fmt.Fprintf(w, "%2d. %s  %s (%s)  keeper %s %s\n", st.Seq, local(st.Arrival), st.Station.Name, st.Station.Code,
				st.Station.KeeperName, st.Station.KeeperPhone)
			writeRefs(w, "drop", st.Drop)
			writeRefs(w, "collect", st.Collect)
			fmt.Fprintf(w, "    keeper's signature: ____________  time: ______\n\n")
		}
		fmt.Fprintf(w, "Back at %s by %s: hand the collected parcels to the hub and scan them in.\n", p.Hub.Name, local(t.Return))
	}
	return nil
}

// runLine says what a run loads and when it leaves and is back; after the
// first, how long the van is at the hub before it (the reload).
func runLine(p *Plan, t Trip) string {
	s := fmt.Sprintf("load %d parcels, %.1f kg at the hub; leave %s, back by %s, %.1f km, %d stops",
		t.StartLoad.Parcels, float64(t.StartLoad.WeightG)/1000, local(t.Depart), local(t.Return), float64(t.DistanceM)/1000, t.Stops)
	if t.Number > 1 {
		s += fmt.Sprintf("; reload %d min at the hub first", t.AtHubS/60)
	}
	if t.GoodsAt != nil {
		s += fmt.Sprintf("; its parcels came in at %s", local(*t.GoodsAt))
	}
	return s
}

// writeRefs lists parcels by carrier, a few tracking numbers a line, so
// the driver can tick them off on paper.
func writeRefs(w io.Writer, what string, refs []ParcelRef) {
	fmt.Fprintf(w, "    %s %d:", what, len(refs))
	if len(refs) == 0 {
		fmt.Fprintln(w, " —")
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i := 0; i < len(refs); {
		carrier := refs[i].Carrier
		var nos []string
		for ; i < len(refs) && refs[i].Carrier == carrier; i++ {
			nos = append(nos, "[ ] "+refs[i].TrackingNo)
		}
		for k := 0; k < len(nos); k += 4 {
			label := ""
			if k == 0 {
				label = fmt.Sprintf("%s (%d)", carrier, len(nos))
			}
			fmt.Fprintf(tw, "      %s\t%s\n", label, strings.Join(nos[k:min(k+4, len(nos))], "  "))
		}
	}
	tw.Flush()
}

var sheetHTML = template.Must(template.New("sheet").Funcs(template.FuncMap{
	"local": local, "km": func(m int64) string { return fmt.Sprintf("%.1f", float64(m)/1000) },
	"kg":        func(g int64) string { return fmt.Sprintf("%.1f", float64(g)/1000) },
	"min":       func(s int64) int64 { return s / 60 },
	"stops":     func(r *Route, t Trip) []Stop { return r.Stops[t.FirstSeq-1 : t.LastSeq] },
	"rangeNote": func(r *Route) string { return r.rangeNote() },
}).Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>路单 plan {{.P.ID}} route {{.R.Number}}</title>
<style>body{font:14px sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #444;padding:4px;vertical-align:top;text-align:left}
h2{font-size:16px;margin:1em 0 .3em}@media print{body{margin:0}}</style></head><body>
<h1>路单 Route sheet {{.R.Number}} — {{.P.ServiceDate}} (plan {{.P.ID}} v{{.P.Version}})</h1>
<p>Van <b>{{.R.Vehicle}}</b> ({{.R.VehicleType}}), operator {{.R.Operator}}. Leave {{.P.Hub.Name}} at {{local .R.Depart}}, back by {{local .R.Return}}.
{{km .R.DistanceM}} km{{rangeNote .R}}, {{len .R.Stops}} stops, {{len .Runs}} run(s). Load at the hub: {{.R.StartLoad.Parcels}} parcels, {{kg .R.StartLoad.WeightG}} kg.</p>
{{$r := .R}}{{$n := len .Runs}}{{range .Runs}}
<h2>第{{.Number}}趟 Run {{.Number}} of {{$n}}: leave {{local .Depart}}, back by {{local .Return}}</h2>
<p>Load at the hub: {{.StartLoad.Parcels}} parcels, {{kg .StartLoad.WeightG}} kg. {{km .DistanceM}} km, {{.Stops}} stops.{{if gt .Number 1}} Reload {{min .AtHubS}} min at the hub first.{{end}}{{with .GoodsAt}} Its parcels came in at {{local .}}.{{end}}</p>
<table><tr><th>#</th><th>arrive</th><th>station</th><th>keeper</th><th>drop</th><th>collect</th><th>signature</th></tr>
{{range stops $r .}}<tr><td>{{.Seq}}</td><td>{{local .Arrival}}</td><td>{{.Station.Name}}<br>{{.Station.Code}}</td>
<td>{{.Station.KeeperName}}<br>{{.Station.KeeperPhone}}</td>
<td>{{len .Drop}}<br>{{range .Drop}}{{.Carrier}} {{.TrackingNo}}<br>{{end}}</td>
<td>{{len .Collect}}<br>{{range .Collect}}{{.Carrier}} {{.TrackingNo}}<br>{{end}}</td><td></td></tr>
{{end}}</table>{{end}}</body></html>
`))

// WriteSheetHTML writes the same route sheet as a printable HTML page.
func (p *Plan) WriteSheetHTML(w io.Writer, n int) error {
	r, err := p.Route(n)
	if err != nil {
		return err
	}
	return sheetHTML.Execute(w, struct {
		P    *Plan
		R    *Route
		Runs []Trip
	}{p, r, r.runs()})
}
