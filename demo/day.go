package demo

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Parcel is one parcel of a generated day, in the wire shape custody's
// registration takes (DESIGN.md "parcel").
type Parcel struct {
	Carrier     string            `json:"carrier"`
	TrackingNo  string            `json:"tracking_no"`
	Direction   string            `json:"direction"`
	Station     string            `json:"station"`
	Recipient   map[string]string `json:"recipient,omitempty"`
	Sender      map[string]string `json:"sender,omitempty"`
	WeightG     int               `json:"weight_g"`
	SizeCM      map[string]int    `json:"size_cm"`
	Category    string            `json:"category"`
	Destination map[string]string `json:"destination,omitempty"`
	// Product names the farm produce of an up parcel (not a wire field).
	Product string `json:"-"`
	// HubArrival is when a down parcel reaches the county hub: on the
	// overnight trunk from the city in the early morning, or on the noon
	// trunk (see Trunk); zero for up parcels. Not a wire field: it
	// becomes the time of the parcel's hub_inbound scan.
	HubArrival time.Time `json:"-"`
	// Trunk is "overnight" or "noon" for a down parcel.
	Trunk string `json:"-"`
}

// The trunks from the city: the overnight truck is unloaded from 05:00 and
// the noon truck from 12:00, each scanned in over about three quarters of
// an hour; the noon truck carries NoonShare of the day's down parcels.
const (
	OvernightTrunk = 5 * time.Hour
	NoonTrunk      = 12 * time.Hour
	trunkUnloading = 45 * time.Minute
	NoonShare      = 0.35
)

// DayOptions size a generated day.
type DayOptions struct {
	Date       time.Time
	Seed       uint64
	Down, Up   int                                // how many parcels each way; 0: 2,400 and 360
	Carriers   []string                           // 0: ExpressCarriers()
	Stations   []Station                          // nil: Stations()
	TrackingNo func(carrier string, i int) string // 0: a date-and-seed based number
	// NoonShare is the share of down parcels on the noon trunk; 0: the
	// package's NoonShare, negative: none (every parcel overnight).
	NoonShare float64
}

// carrierShare is the rough market share of the companies at a county hub.
var carrierShare = map[string]float64{"ZTO": 22, "YTO": 18, "YUNDA": 16, "JT": 14, "STO": 12, "EMS": 10, "SF": 8}

// produce is what the county sends up, by season (month ranges inclusive).
type produce struct {
	name, label    string
	from, to       time.Month
	weightG        [2]int // min, max
	l, w, h        int
	share          float64
	mountainFactor float64 // >1: grown higher up; <1: in the hot Red River valley
}

var countyProduce = []produce{
	{"oranges", "新平橙", time.October, time.February, [2]int{5000, 10000}, 40, 30, 25, 5, 0.6},
	{"mangoes", "芒果", time.June, time.August, [2]int{4000, 8000}, 38, 28, 20, 4, 0.5},
	{"lychees", "荔枝", time.May, time.June, [2]int{2500, 5000}, 32, 24, 22, 3, 0.5},
	{"brown_sugar", "红糖", time.January, time.December, [2]int{1000, 3000}, 26, 18, 10, 1, 1.8},
}

func inSeason(p produce, m time.Month) bool {
	if p.from <= p.to {
		return m >= p.from && m <= p.to
	}
	return m >= p.from || m <= p.to
}

var provinces = []string{"云南", "广东", "上海", "北京", "浙江", "江苏", "四川", "湖北", "山东", "福建"}

// GenerateDay makes a realistic day for the demonstration county: down
// parcels from every carrier spread over the stations by their size, and up
// parcels of the farm produce in season, mostly from the stations that grow
// it; the down parcels come on the overnight trunk or, about a third, on
// the noon trunk (HubArrival). The same options give the same day.
func GenerateDay(o DayOptions) []Parcel {
	if o.Down == 0 {
		o.Down = 2400
	}
	if o.Up == 0 {
		o.Up = 360
	}
	if len(o.Carriers) == 0 {
		o.Carriers = ExpressCarriers()
	}
	if o.Stations == nil {
		o.Stations = Stations()
	}
	rng := rand.New(rand.NewPCG(o.Seed, uint64(o.Date.Unix())))
	// The trunks draw from a stream of their own, so the parcels are the
	// same as before days had two trunks.
	trunks := rand.New(rand.NewPCG(o.Seed^0x7472756e6b, uint64(o.Date.Unix())))
	noon := o.NoonShare
	if noon == 0 {
		noon = NoonShare
	}
	day := o.Date.Format("060102")
	if o.TrackingNo == nil {
		o.TrackingNo = func(c string, i int) string { return fmt.Sprintf("%s%s%02d%05d", c, day, o.Seed%100, i) }
	}
	var villages []Station
	var sizes []float64
	for _, s := range o.Stations {
		if s.Tier == "village" {
			villages = append(villages, s)
			sizes = append(sizes, s.Size)
		}
	}
	shares := make([]float64, len(o.Carriers))
	for i, c := range o.Carriers {
		shares[i] = carrierShare[c]
		if shares[i] == 0 {
			shares[i] = 5
		}
	}
	var season []produce
	for _, p := range countyProduce {
		if inSeason(p, o.Date.Month()) {
			season = append(season, p)
		}
	}
	out := make([]Parcel, 0, o.Down+o.Up)
	for i := range o.Down {
		c := o.Carriers[pick(rng, shares)]
		st := villages[pick(rng, sizes)]
		wg, l, w, h := downSize(rng)
		out = append(out, Parcel{Carrier: c, TrackingNo: o.TrackingNo(c, i), Direction: "down", Station: st.Code,
			Recipient: map[string]string{"name": "村民" + fmt.Sprint(rng.IntN(900)+100), "phone": fmt.Sprintf("13%d%08d", 5+rng.IntN(5), rng.IntN(100_000_000))},
			WeightG:   wg, SizeCM: map[string]int{"l": l, "w": w, "h": h}, Category: "general"})
		p := &out[len(out)-1]
		p.Trunk, p.HubArrival = "overnight", o.Date.Add(OvernightTrunk)
		if trunks.Float64() < noon {
			p.Trunk, p.HubArrival = "noon", o.Date.Add(NoonTrunk)
		}
		p.HubArrival = p.HubArrival.Add(time.Duration(trunks.Int64N(int64(trunkUnloading/time.Second))) * time.Second)
	}
	pshare := make([]float64, len(season))
	for i, p := range season {
		pshare[i] = p.share
	}
	for i := range o.Up {
		p := season[pick(rng, pshare)]
		weights := make([]float64, len(villages))
		for k, v := range villages {
			weights[k] = v.Size * terrainFactor(v, p.mountainFactor)
		}
		st := villages[pick(rng, weights)]
		c := o.Carriers[pick(rng, shares)]
		wg := p.weightG[0] + rng.IntN(p.weightG[1]-p.weightG[0]+1)
		out = append(out, Parcel{Carrier: c, TrackingNo: o.TrackingNo(c, o.Down+i), Direction: "up", Station: st.Code,
			Sender:    map[string]string{"name": st.Township + p.label + "合作社", "phone": st.KeeperPhone},
			Recipient: map[string]string{"name": "买家", "phone": fmt.Sprintf("13%d%08d", 5+rng.IntN(5), rng.IntN(100_000_000))},
			WeightG:   wg, SizeCM: map[string]int{"l": p.l, "w": p.w, "h": p.h}, Category: "farm_produce",
			Destination: map[string]string{"province": provinces[rng.IntN(len(provinces))]}, Product: p.name})
	}
	return out
}

// terrainFactor favours valley towns for tropical fruit and the mountains
// for cane sugar.
func terrainFactor(s Station, mountain float64) float64 {
	switch s.Township {
	case "漠沙镇", "戛洒镇", "水塘镇":
		return 1 / mountain
	case "者竜乡", "平掌乡", "新化乡", "建兴乡", "老厂乡":
		return mountain
	}
	return 1
}

// downSize draws an online-shopping parcel: bags, shoeboxes, now and then
// a carton of appliances.
func downSize(rng *rand.Rand) (weightG, l, w, h int) {
	switch r := rng.Float64(); {
	case r < 0.5:
		return 150 + rng.IntN(850), 20 + rng.IntN(15), 15 + rng.IntN(10), 3 + rng.IntN(6)
	case r < 0.9:
		return 1000 + rng.IntN(4000), 30 + rng.IntN(15), 20 + rng.IntN(10), 12 + rng.IntN(12)
	default:
		return 5000 + rng.IntN(15000), 45 + rng.IntN(20), 35 + rng.IntN(15), 25 + rng.IntN(20)
	}
}

// pick draws an index with probability proportional to weights.
func pick(rng *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := rng.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}
