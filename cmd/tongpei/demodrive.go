package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/dispatch"
)

// driveDay plays the published plan of the day as its drivers and keepers
// would, through POST /v1/scans, spread over the given time so the pages
// have a live day to show: at the hub every van is sorted and loaded; then
// stop by stop in the order of the planned arrivals the parcels arrive at
// their station, the up parcels are loaded, and seven in ten recipients
// come with their pickup code; last, the vans bring the up parcels into
// the hub. Scan ids derive from the parcel and the kind, so a second drive
// changes nothing.
func driveDay(ctx context.Context, c *apiClient, date string, over time.Duration, w io.Writer) error {
	var plans struct {
		Items []dispatch.PlanSummary `json:"items"`
	}
	if err := c.call(ctx, "GET", "/v1/dispatch/plans?date="+url.QueryEscape(date), nil, &plans); err != nil {
		return err
	}
	i := slices.IndexFunc(plans.Items, func(p dispatch.PlanSummary) bool { return p.Status == "published" })
	if i < 0 {
		return fmt.Errorf("%s has no published plan to drive; run tongpei plan --date %s, then tongpei publish --date %s", date, date, date)
	}
	var plan dispatch.Plan
	if err := c.call(ctx, "GET", fmt.Sprintf("/v1/dispatch/plans/%d", plans.Items[i].ID), nil, &plan); err != nil {
		return err
	}
	d := &driver{c: c, w: w, res: map[string]int{}}
	hub := plan.Hub.Code
	now := time.Now().UTC()
	for _, r := range plan.Routes {
		for _, st := range r.Stops {
			for _, p := range st.Drop {
				d.add(p, "sorted", hub, now)
				d.add(p, "loaded", hub, now)
			}
		}
	}
	if err := d.flush(ctx); err != nil {
		return err
	}
	type visit struct {
		at   time.Time
		stop dispatch.Stop
	}
	var visits []visit
	for _, r := range plan.Routes {
		for _, st := range r.Stops {
			visits = append(visits, visit{st.Arrival, st})
		}
	}
	slices.SortFunc(visits, func(a, b visit) int { return a.at.Compare(b.at) })
	pause := over / time.Duration(max(len(visits), 1))
	for k, v := range visits {
		st := v.stop
		at := time.Now().UTC()
		for _, p := range st.Drop {
			d.add(p, "station_arrival", st.Station.Code, at)
		}
		for _, p := range st.Collect {
			d.add(p, "loaded", st.Station.Code, at)
		}
		if err := d.flush(ctx); err != nil {
			return err
		}
		if err := d.pickUp(ctx, st, at); err != nil {
			return err
		}
		fmt.Fprintf(w, "stop %d/%d: %s, %d dropped, %d collected\n", k+1, len(visits), st.Station.Name, len(st.Drop), len(st.Collect))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
	for _, r := range plan.Routes {
		for _, st := range r.Stops {
			for _, p := range st.Collect {
				d.add(p, "hub_inbound", hub, time.Now().UTC())
			}
		}
	}
	if err := d.flush(ctx); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "drove plan %d: scans %d accepted, %d duplicate, %d rejected (%d parcels were sorted already)\n",
		plan.ID, d.res["accepted"], d.res["duplicate"], d.res["rejected"], d.res["sorted already"])
	return err
}

// driver batches scans and counts their answers.
type driver struct {
	c       *apiClient
	w       io.Writer
	pending []map[string]any
	res     map[string]int
	handed  int // parcels offered to recipients so far: seven in ten come
}

func (d *driver) add(p dispatch.ParcelRef, kind, station string, at time.Time, extra ...string) {
	id := uuid.NewSHA1(uuid.NameSpaceURL, []byte("tongpei-demo-drive/"+p.Carrier+"/"+p.TrackingNo+"/"+kind))
	s := map[string]any{"id": id, "carrier": p.Carrier, "tracking_no": p.TrackingNo, "kind": kind, "station": station, "at": at}
	if len(extra) == 1 {
		s["pickup_code"] = extra[0]
	}
	d.pending = append(d.pending, s)
}

func (d *driver) flush(ctx context.Context) error {
	for start := 0; start < len(d.pending); start += 1000 {
		var out struct {
			Results []struct{ Status, Code, Detail string }
		}
		if err := d.c.call(ctx, "POST", "/v1/scans", map[string]any{"scans": d.pending[start:min(start+1000, len(d.pending))]}, &out); err != nil {
			return fmt.Errorf("scanning: %w", err)
		}
		for k, r := range out.Results {
			if r.Status == "rejected" && d.pending[start+k]["kind"] == "sorted" {
				d.res["sorted already"]++ // the morning's sorting line got there first
				continue
			}
			d.res[r.Status]++
			// A parcel the morning already sorted refuses "sorted" again: expected.
			if r.Status == "rejected" && r.Code != "transition_not_allowed" && d.res["rejected"] <= 3 {
				fmt.Fprintf(d.w, "scan rejected: %s %s\n", r.Code, r.Detail)
			}
		}
	}
	d.pending = d.pending[:0]
	return nil
}

// pickUp hands seven in ten of the stop's arrived parcels to their
// recipients, with the pickup code the shelf shows.
func (d *driver) pickUp(ctx context.Context, st dispatch.Stop, at time.Time) error {
	var shelf struct {
		Items []struct {
			Carrier    string `json:"carrier"`
			TrackingNo string `json:"tracking_no"`
			PickupCode string `json:"pickup_code"`
		} `json:"items"`
	}
	if err := d.c.call(ctx, "GET", "/v1/stations/"+url.PathEscape(st.Station.Code)+"/parcels?state=waiting&limit=1000", nil, &shelf); err != nil {
		return err
	}
	code := map[string]string{}
	for _, it := range shelf.Items {
		code[it.Carrier+"/"+it.TrackingNo] = it.PickupCode
	}
	for _, p := range st.Drop {
		c := code[p.Carrier+"/"+p.TrackingNo]
		if c == "" {
			continue
		}
		if d.handed%10 < 7 {
			d.add(p, "picked_up", st.Station.Code, at, c)
		}
		d.handed++
	}
	return d.flush(ctx)
}
