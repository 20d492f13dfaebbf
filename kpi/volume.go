package kpi

import (
	"context"
	"sort"
	"strconv"

	"github.com/tongpei/tongpei/internal/errs"
)

// SourceParcels names the figure computed from the declared goods value of
// up parcels accepted at the station.
const SourceParcels = "parcels"

// Window is a run of whole months, first..last inclusive (YYYY-MM).
type Window struct {
	First string `json:"first_month"`
	Last  string `json:"last_month"`
}

// Months counts the months of w.
func (w Window) Months() int {
	a, b := monthStart(w.First), monthStart(w.Last)
	return (b.Year()-a.Year())*12 + int(b.Month()-a.Month()) + 1
}

// YearFrom is the 12-month window that starts with month first.
func YearFrom(first string) (Window, error) {
	if !monthPattern.MatchString(first) {
		return Window{}, errs.E(errs.Invalid, "the window's first month must be YYYY-MM, not %q", first)
	}
	return Window{First: first, Last: addMonths(first, 11)}, nil
}

// Volume is one station's transaction volume over a window, with every
// monthly figure behind it.
type Volume struct {
	Station   string   `json:"station"`
	Name      string   `json:"name"`
	Township  string   `json:"township"`
	VolumeFen int64    `json:"volume_fen"`
	BySource  []Source `json:"by_source"`
	Figures   []Figure `json:"figures"`
}

// Source is the part of a volume that came from one source.
type Source struct {
	Source   string `json:"source"`
	SalesFen int64  `json:"sales_fen"`
}

// Volumes sums each station's figures over w: the declared value of its
// accepted up parcels plus every imported source. Stations without any
// figure are listed with 0, so the scorecard shows who is missing.
func (s *Service) Volumes(ctx context.Context, w Window) ([]Volume, error) {
	idx, err := s.stationIndex(ctx)
	if err != nil {
		return nil, err
	}
	figs, err := s.st.sales(ctx, w.First, w.Last)
	if err != nil {
		return nil, err
	}
	up, err := s.custody.UpValues(ctx, monthStart(w.First), monthStart(addMonths(w.Last, 1)))
	if err != nil {
		return nil, err
	}
	for _, u := range up {
		figs = append(figs, Figure{Station: u.Station, Month: u.Month, Source: SourceParcels, SalesFen: u.DeclaredFen})
	}
	by := map[string]*Volume{}
	for code, st := range idx {
		if st.Tier != "county_hub" {
			by[code] = &Volume{Station: code, Name: st.Name, Township: st.Township, BySource: []Source{}, Figures: []Figure{}}
		}
	}
	for _, f := range figs {
		v := by[f.Station]
		if v == nil { // a station no longer registered still had its sales
			v = &Volume{Station: f.Station, BySource: []Source{}}
			by[f.Station] = v
		}
		v.VolumeFen += f.SalesFen
		v.Figures = append(v.Figures, f)
		addSource(v, f)
	}
	out := make([]Volume, 0, len(by))
	for _, v := range by {
		sort.Slice(v.Figures, func(i, j int) bool {
			a, b := v.Figures[i], v.Figures[j]
			return a.Month < b.Month || a.Month == b.Month && a.Source < b.Source
		})
		out = append(out, *v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Station < out[j].Station })
	return out, nil
}

func addSource(v *Volume, f Figure) {
	for i := range v.BySource {
		if v.BySource[i].Source == f.Source {
			v.BySource[i].SalesFen += f.SalesFen
			return
		}
	}
	v.BySource = append(v.BySource, Source{Source: f.Source, SalesFen: f.SalesFen})
	sort.Slice(v.BySource, func(i, j int) bool { return v.BySource[i].Source < v.BySource[j].Source })
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
