package demo

import (
	"hash/fnv"
	"strings"
	"sync"

	"github.com/tongpei/tongpei/stations"
)

// Station is a station of the demonstration county as a generated day
// needs it.
type Station struct {
	Code, Name, Tier, Parent, Township string
	Lon, Lat                           float64
	KeeperName, KeeperPhone            string
	// Size weighs how many parcels the station sees (see Size).
	Size float64
}

// county is xinping.json parsed once. The file is embedded, so a parse
// failure is a defect of the build, which TestXinpingIsAPlausibleCounty
// catches first; the functions over it panic rather than make every
// caller handle an error that cannot happen in a working binary.
var county = sync.OnceValue(func() County {
	c, err := Xinping()
	if err != nil {
		panic(err)
	}
	return c
})

// Stations is the demonstration county's stations in xinping.json's
// order, parents first: the hub, a township station at each division seat
// and the 124 village-level stations.
func Stations() []Station {
	c := county()
	out := make([]Station, 0, len(c.Stations))
	for _, s := range c.Stations {
		st := Station{Code: deref(s.Code), Name: deref(s.Name), Tier: string(*s.Tier), Parent: deref(s.Parent),
			Township: deref(s.Township), Lon: *s.Location.Lon, Lat: *s.Location.Lat}
		if s.Keeper != nil {
			st.KeeperName, st.KeeperPhone = s.Keeper.Name, s.Keeper.Phone
		}
		if st.Tier == string(stations.Village) {
			st.Size = Size(st.Code, st.Name, st.Township)
		}
		out = append(out, st)
	}
	return out
}

// HubCode is the county warehouse in Guishan, where every route starts.
func HubCode() string {
	for _, s := range county().Stations {
		if *s.Tier == stations.CountyHub {
			return *s.Code
		}
	}
	panic("demo/xinping.json has no county hub")
}

// ExpressCarriers are the codes of the express companies stationed at the
// county centre, the companies a generated day's parcels come from.
func ExpressCarriers() []string {
	var out []string
	for _, c := range county().Carriers {
		if *c.Kind == stations.Express {
			out = append(out, *c.Code)
		}
	}
	return out
}

// Size is how many parcels a village-level station sees relative to a
// mountain village: communities (社区) twice as many, those of the county
// seat's two subdistricts more again, each varied a little by its code so
// that the day is not uniform. demo-day uses it for any registry.
func Size(code, name, township string) float64 {
	size := 1.0
	if strings.Contains(name, "社区") {
		size = 2.0
	}
	if township == "桂山街道" || township == "古城街道" {
		size = 2.5
	}
	return size * (0.6 + 0.8*float64((hash(code)/7)%100)/100)
}

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
