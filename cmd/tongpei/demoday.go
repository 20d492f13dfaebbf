package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/stations"
)

// newDemoDayCmd is `tongpei demo-day`: a realistic day for the
// demonstration county, sent over HTTP to a running server with an admin
// token, through the same routes carriers and keepers use (POST /v1/parcels,
// POST /v1/scans), so the day exercises the whole system. A county or fleet
// that is missing is registered first, through the admin routes.
func newDemoDayCmd() *cobra.Command {
	var o demoDayOptions
	cmd := &cobra.Command{
		Use:   "demo-day --date YYYY-MM-DD [--seed N] [--drive [--over 3m]]",
		Short: "Fill the demonstration county with a day of parcels over the API (needs a running server and an admin token)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemoDay(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.date, "date", time.Now().In(dispatch.County).Format(time.DateOnly), "service date YYYY-MM-DD (it picks the produce in season)")
	f.Uint64Var(&o.seed, "seed", 1, "the same seed and date give the same day")
	f.StringVar(&o.server, "server", "http://"+env("TONGPEI_ADDR", "127.0.0.1:8080"), "the running tongpei server")
	f.StringVar(&o.token, "token", env("TONGPEI_TOKEN", ""), "an admin token (TONGPEI_TOKEN); tongpei serve --demo prints one")
	f.IntVar(&o.down, "down", 2400, "down parcels from the carriers at the hub")
	f.IntVar(&o.up, "up", 360, "up parcels of farm produce accepted at village stations")
	f.BoolVar(&o.drive, "drive", false, "play the drivers' and keepers' scans of the day's published plan (after tongpei publish)")
	f.DurationVar(&o.over, "over", 3*time.Minute, "with --drive: how long the day takes")
	return cmd
}

type demoDayOptions struct {
	date, server, token string
	seed                uint64
	down, up            int
	// drive plays the published plan's scans instead of filling the day.
	drive bool
	over  time.Duration
}

func runDemoDay(ctx context.Context, o demoDayOptions, w io.Writer) error {
	day, err := time.ParseInLocation(time.DateOnly, o.date, dispatch.County)
	if err != nil {
		return fmt.Errorf("--date %q is not YYYY-MM-DD", o.date)
	}
	if o.token == "" {
		return fmt.Errorf("no admin token: pass --token or set TONGPEI_TOKEN (tongpei serve --demo prints one)")
	}
	c := &apiClient{base: strings.TrimRight(o.server, "/"), token: o.token, http: &http.Client{Timeout: 2 * time.Minute}}
	if o.drive {
		return driveDay(ctx, c, o.date, o.over, w)
	}
	county, hub, err := ensureCounty(ctx, c, w)
	if err != nil {
		return err
	}
	carriers, err := expressCarriers(ctx, c, w)
	if err != nil {
		return err
	}
	if err := ensureFleet(ctx, c, w); err != nil {
		return err
	}
	parcels := demo.GenerateDay(demo.DayOptions{Date: day, Seed: o.seed, Down: o.down, Up: o.up, Stations: county, Carriers: carriers})
	regs, err := withFirms(ctx, c, parcels, w)
	if err != nil {
		return err
	}
	reg := map[string]int{}
	for start := 0; start < len(regs); start += 1000 {
		batch := regs[start:min(start+1000, len(regs))]
		var res struct {
			Results []struct{ Status, Code, Detail, TrackingNo string }
		}
		if err := c.call(ctx, "POST", "/v1/parcels", map[string]any{"parcels": batch}, &res); err != nil {
			return fmt.Errorf("registering parcels: %w", err)
		}
		for _, r := range res.Results {
			reg[r.Status]++
			if r.Status == "rejected" && reg["rejected"] <= 3 {
				fmt.Fprintf(w, "rejected %s: %s %s\n", r.TrackingNo, r.Code, r.Detail)
			}
		}
	}
	fmt.Fprintf(w, "registered: %d new, %d already there, %d rejected\n", reg["created"], reg["exists"], reg["rejected"])
	if reg["created"] == 0 && reg["exists"] == len(parcels) {
		// Its parcels have moved on since (planned, loaded, picked up):
		// scanning them in again would only be thousands of rejections.
		return fmt.Errorf("the demonstration day %s (seed %d) already ran: all %d parcels exist; plan it (tongpei plan --date %s) or pick another --date or --seed",
			o.date, o.seed, len(parcels), o.date)
	}
	// The scans a morning sees: the carriers' vans unloading at the hub,
	// the sorting line, the keepers accepting produce. Ids derive from the
	// parcel and the kind, so running the day again changes nothing.
	now := time.Now().UTC().Truncate(time.Second)
	var scans []map[string]any
	scan := func(p demo.Parcel, kind, station string, at time.Time) {
		id := uuid.NewSHA1(uuid.NameSpaceURL, []byte("tongpei-demo-day/"+p.Carrier+"/"+p.TrackingNo+"/"+kind))
		scans = append(scans, map[string]any{"id": id, "carrier": p.Carrier, "tracking_no": p.TrackingNo,
			"kind": kind, "station": station, "at": at})
	}
	// A down parcel is scanned in at the hub when its trunk came in (the
	// overnight or the noon truck, demo.Parcel.HubArrival), so the plan
	// sees two arrival waves; custody takes device times only up to a few
	// minutes ahead and a day back, so a trunk still to come by the clock
	// is scanned in now, and one more than a day ago a day back.
	late := 0
	trunkAt := func(p demo.Parcel) time.Time {
		at := p.HubArrival.UTC()
		if at.After(now) {
			late++
			at = now.Add(-2 * time.Minute)
		}
		return maxTime(at, now.Add(-23*time.Hour))
	}
	for i, p := range parcels {
		if p.Direction == "down" {
			at := trunkAt(p)
			scan(p, "hub_inbound", hub, at)
			if i%3 != 0 {
				scan(p, "sorted", hub, minTime(at.Add(5*time.Minute), now.Add(-time.Minute)))
			}
		} else {
			scan(p, "accepted", p.Station, now.Add(-time.Minute))
		}
	}
	res := map[string]int{}
	for start := 0; start < len(scans); start += 1000 {
		var out struct {
			Results []struct{ Status, Code, Detail string }
		}
		if err := c.call(ctx, "POST", "/v1/scans", map[string]any{"scans": scans[start:min(start+1000, len(scans))]}, &out); err != nil {
			return fmt.Errorf("scanning: %w", err)
		}
		for _, r := range out.Results {
			res[r.Status]++
			if r.Status == "rejected" && res["rejected"] <= 3 {
				fmt.Fprintf(w, "scan rejected: %s %s\n", r.Code, r.Detail)
			}
		}
	}
	down := 0
	for _, p := range parcels {
		if p.Direction == "down" {
			down++
		}
	}
	fmt.Fprintf(w, "scans: %d accepted, %d duplicate, %d rejected\n", res["accepted"], res["duplicate"], res["rejected"])
	noon := 0
	for _, p := range parcels {
		if p.Trunk == "noon" {
			noon++
		}
	}
	fmt.Fprintf(w, "trunks: %d down parcels overnight (scanned in from %s), %d on the noon trunk (from %s)\n", down-noon,
		day.Add(demo.OvernightTrunk).Format("15:04"), noon, day.Add(demo.NoonTrunk).Format("15:04"))
	if late > 0 {
		fmt.Fprintf(w, "note: %d parcels' trunk is still to come by the clock; they were scanned in now, so their run leaves after now\n", late)
	}
	chargeFirms(ctx, c, regs, now, w)
	_, err = fmt.Fprintf(w, "%s: %d down parcels at the hub %s, %d up parcels at the stations; now run: tongpei plan --date %s\n",
		o.date, down, hub, len(parcels)-down, o.date)
	return err
}

// apiClient speaks JSON to the server with the admin token; county, when
// set, is the county a province administrator acts for (Tongpei-County).
type apiClient struct {
	base, token, county string
	http                *http.Client
}

func (c *apiClient) call(ctx context.Context, method, path string, body, out any) error {
	var payload []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		payload = b
	}
	resp, err := doPolitely(ctx, c.http, func() (*http.Request, error) {
		var r io.Reader
		if payload != nil {
			r = bytes.NewReader(payload)
		}
		req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Content-Type", "application/json")
		if c.county != "" {
			req.Header.Set("Tongpei-County", c.county)
		}
		return req, nil
	})
	if err != nil {
		return fmt.Errorf("cannot reach %s (%w); start it with tongpei serve or pass --server", c.base, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if resp.StatusCode >= 300 {
		return &httpError{status: resp.StatusCode, body: string(b)}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

type httpError struct {
	status int
	body   string
}

func (e *httpError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.status, e.body) }

func isConflict(err error) bool {
	he, ok := err.(*httpError)
	return ok && he.status == http.StatusConflict
}

// ensureCounty reads the registered stations for the day to spread parcels
// over; when the county has no hub yet it registers the demonstration
// county first. It returns the stations and the hub code.
func ensureCounty(ctx context.Context, c *apiClient, w io.Writer) ([]demo.Station, string, error) {
	list, err := listStations(ctx, c)
	if err != nil {
		return nil, "", err
	}
	hub := ""
	for _, s := range list {
		if s.Tier == "county_hub" {
			hub = s.Code
		}
	}
	if hub == "" {
		fmt.Fprintln(w, "the county has no hub: registering the demonstration county (locations are estimates)")
		county, err := demo.Xinping()
		if err != nil {
			return nil, "", err
		}
		for _, s := range county.Stations { // parents first, in the API's own wire format
			if err := c.call(ctx, "POST", "/v1/stations", s, nil); err != nil && !isConflict(err) {
				return nil, "", fmt.Errorf("registering station %s: %w", *s.Code, err)
			}
		}
		if list, err = listStations(ctx, c); err != nil {
			return nil, "", err
		}
		hub = demo.HubCode()
	}
	var out []demo.Station
	for _, s := range list {
		d := demo.Station{Code: s.Code, Name: s.Name, Tier: s.Tier, Township: s.Township, KeeperPhone: s.Keeper.Phone,
			Size: demo.Size(s.Code, s.Name, s.Township)}
		if !strings.HasPrefix(d.KeeperPhone, "1") || strings.Contains(d.KeeperPhone, "*") {
			d.KeeperPhone = "13900000000"
		}
		out = append(out, d)
	}
	return out, hub, nil
}

// expressCarriers are the active express companies at the hub, registering
// the demonstration's when fewer than six are (KPI item 11 asks for six).
func expressCarriers(ctx context.Context, c *apiClient, w io.Writer) ([]string, error) {
	list := func() ([]string, error) {
		var page struct {
			Items []struct {
				Code, Kind string
				Active     bool
			}
		}
		if err := c.call(ctx, "GET", "/v1/carriers?limit=1000", nil, &page); err != nil {
			return nil, fmt.Errorf("listing carriers: %w", err)
		}
		var codes []string
		for _, cr := range page.Items {
			if cr.Active && cr.Kind == "express" {
				codes = append(codes, cr.Code)
			}
		}
		return codes, nil
	}
	codes, err := list()
	if err != nil || len(codes) >= 6 {
		return codes, err
	}
	fmt.Fprintln(w, "fewer than six express companies: registering the demonstration's")
	county, err := demo.Xinping()
	if err != nil {
		return nil, err
	}
	for _, cr := range county.Carriers {
		if *cr.Kind != stations.Express {
			continue
		}
		if err := c.call(ctx, "POST", "/v1/carriers", cr, nil); err != nil && !isConflict(err) {
			return nil, fmt.Errorf("registering carrier %s: %w", *cr.Code, err)
		}
	}
	return list()
}

type apiStation struct {
	Code, Name, Tier, Township string
	Active                     bool
	Keeper                     struct{ Phone string }
}

func listStations(ctx context.Context, c *apiClient) ([]apiStation, error) {
	var all []apiStation
	cursor := ""
	for {
		var page struct {
			Items []apiStation
			Next  string
		}
		if err := c.call(ctx, "GET", "/v1/stations?limit=1000&cursor="+cursor, nil, &page); err != nil {
			return nil, fmt.Errorf("listing stations: %w", err)
		}
		for _, s := range page.Items {
			if s.Active {
				all = append(all, s)
			}
		}
		if page.Next == "" {
			return all, nil
		}
		cursor = page.Next
	}
}

// ensureFleet registers the demonstration joint fleet when there is none:
// ten minivans and four electric vans run by the county's joint-delivery
// company.
func ensureFleet(ctx context.Context, c *apiClient, w io.Writer) error {
	var vans struct{ Items []dispatch.Vehicle }
	if err := c.call(ctx, "GET", "/v1/fleet/vehicles", nil, &vans); err != nil {
		return fmt.Errorf("reading the fleet: %w", err)
	}
	if len(vans.Items) > 0 {
		return nil
	}
	fmt.Fprintln(w, "the joint fleet is empty: registering 10 minivans and 4 electric vans (operator XPJD)")
	type step struct {
		path string
		body any
	}
	steps := []step{{"/v1/fleet/operators", dispatch.DemoOperator}}
	for _, t := range dispatch.DemoVehicleTypes {
		steps = append(steps, step{"/v1/fleet/vehicle-types", t})
	}
	for _, v := range dispatch.DemoVehicles() {
		steps = append(steps, step{"/v1/fleet/vehicles", v})
	}
	for _, s := range steps {
		if err := c.call(ctx, "POST", s.path, s.body, nil); err != nil && !isConflict(err) {
			return fmt.Errorf("registering the fleet (%s): %w", s.path, err)
		}
	}
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
