package pricing

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// Province is one of the 31 mainland provincial-level divisions, keyed by its
// GB/T 2260 code.
type Province struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Short   string `json:"-"`
	English string `json:"-"`
}

// Provinces are the destinations a quote can name, in code order.
var Provinces = []Province{
	{"110000", "北京市", "北京", "Beijing"}, {"120000", "天津市", "天津", "Tianjin"},
	{"130000", "河北省", "河北", "Hebei"}, {"140000", "山西省", "山西", "Shanxi"},
	{"150000", "内蒙古自治区", "内蒙古", "Inner Mongolia"}, {"210000", "辽宁省", "辽宁", "Liaoning"},
	{"220000", "吉林省", "吉林", "Jilin"}, {"230000", "黑龙江省", "黑龙江", "Heilongjiang"},
	{"310000", "上海市", "上海", "Shanghai"}, {"320000", "江苏省", "江苏", "Jiangsu"},
	{"330000", "浙江省", "浙江", "Zhejiang"}, {"340000", "安徽省", "安徽", "Anhui"},
	{"350000", "福建省", "福建", "Fujian"}, {"360000", "江西省", "江西", "Jiangxi"},
	{"370000", "山东省", "山东", "Shandong"}, {"410000", "河南省", "河南", "Henan"},
	{"420000", "湖北省", "湖北", "Hubei"}, {"430000", "湖南省", "湖南", "Hunan"},
	{"440000", "广东省", "广东", "Guangdong"}, {"450000", "广西壮族自治区", "广西", "Guangxi"},
	{"460000", "海南省", "海南", "Hainan"}, {"500000", "重庆市", "重庆", "Chongqing"},
	{"510000", "四川省", "四川", "Sichuan"}, {"520000", "贵州省", "贵州", "Guizhou"},
	{"530000", "云南省", "云南", "Yunnan"}, {"540000", "西藏自治区", "西藏", "Tibet"},
	{"610000", "陕西省", "陕西", "Shaanxi"}, {"620000", "甘肃省", "甘肃", "Gansu"},
	{"630000", "青海省", "青海", "Qinghai"}, {"640000", "宁夏回族自治区", "宁夏", "Ningxia"},
	{"650000", "新疆维吾尔自治区", "新疆", "Xinjiang"},
}

var provinceIndex = func() map[string]int {
	m := make(map[string]int, 4*len(Provinces))
	for i, p := range Provinces {
		m[p.Code] = i
		m[p.Name] = i
		m[p.Short] = i
		m[strings.ToLower(p.English)] = i
	}
	return m
}()

// LookupProvince finds a province by GB/T 2260 code (a city or county code
// such as 530427 names its province), full or short Chinese name, or
// English name.
func LookupProvince(s string) (Province, bool) {
	s = strings.TrimSpace(s)
	if i, ok := provinceIndex[s]; ok {
		return Provinces[i], true
	}
	if len(s) == 6 && isDigits(s) {
		if i, ok := provinceIndex[s[:2]+"0000"]; ok {
			return Provinces[i], true
		}
	}
	if i, ok := provinceIndex[strings.ToLower(s)]; ok {
		return Provinces[i], true
	}
	return Province{}, false
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Zone is a group of destination provinces priced alike.
type Zone struct {
	Zone      string   `json:"zone"`
	Name      string   `json:"name"`
	Provinces []string `json:"provinces"`
}

// Zoning is one version of the county's zone table for its origin.
type Zoning struct {
	Version       int64     `json:"version"`
	EffectiveFrom time.Time `json:"effective_from"`
	Origin        string    `json:"origin"`
	Zones         []Zone    `json:"zones"`
	CreatedBy     string    `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`

	byProvince map[string]string // province code -> zone id, built by index
}

var zoneID = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// Validate checks that every mainland province is in exactly one zone and
// turns names into codes, so a zoning can be written with Chinese names.
func (z *Zoning) Validate() error {
	var f errs.Fields
	if _, ok := LookupProvince(z.Origin); !ok {
		f.Add("origin", "%q is not a mainland province code or name", z.Origin)
	}
	if len(z.Zones) == 0 {
		f.Add("zones", "list at least one zone")
	}
	seen := map[string]string{}
	ids := map[string]bool{}
	for i, zn := range z.Zones {
		field := "zones[" + itoa(int64(i)) + "]"
		if !zoneID.MatchString(zn.Zone) {
			f.Add(field+".zone", "%q must be lower-case letters, digits or _ (e.g. local, remote)", zn.Zone)
		} else if ids[zn.Zone] {
			f.Add(field+".zone", "zone %q is listed twice", zn.Zone)
		}
		ids[zn.Zone] = true
		for j, name := range zn.Provinces {
			p, ok := LookupProvince(name)
			pf := field + ".provinces[" + itoa(int64(j)) + "]"
			switch {
			case !ok:
				f.Add(pf, "%q is not a mainland province code or name", name)
			case seen[p.Code] != "":
				f.Add(pf, "%s is already in zone %s", p.Name, seen[p.Code])
			default:
				seen[p.Code] = zn.Zone
				z.Zones[i].Provinces[j] = p.Code
			}
		}
	}
	var missing []string
	for _, p := range Provinces {
		if seen[p.Code] == "" {
			missing = append(missing, p.Name+" "+p.Code)
		}
	}
	if len(missing) > 0 {
		f.Add("zones", "every mainland province needs a zone; missing: %s", strings.Join(missing, ", "))
	}
	if o, ok := LookupProvince(z.Origin); ok {
		z.Origin = o.Code
	}
	if err := f.Err(); err != nil {
		return err
	}
	z.index()
	return nil
}

func (z *Zoning) index() {
	z.byProvince = map[string]string{}
	for _, zn := range z.Zones {
		for _, p := range zn.Provinces {
			z.byProvince[p] = zn.Zone
		}
	}
}

// ZoneOf is the zone of a province code.
func (z *Zoning) ZoneOf(province string) (string, bool) {
	id, ok := z.byProvince[province]
	return id, ok
}

// HasZone reports whether id is one of the zoning's zones.
func (z *Zoning) HasZone(id string) bool {
	return slices.ContainsFunc(z.Zones, func(zn Zone) bool { return zn.Zone == id })
}

// ZoneIDs lists the zone ids in table order.
func (z *Zoning) ZoneIDs() []string {
	ids := make([]string, len(z.Zones))
	for i, zn := range z.Zones {
		ids[i] = zn.Zone
	}
	return ids
}

// DefaultZoning is the zone table for an origin in Yunnan, as express firms
// there price it: in-province; the neighbours reached by road in a day or
// two; central and southern China; the east and north; and the remote west
// and north (Tibet borders Yunnan but is priced as remote everywhere).
func DefaultZoning() Zoning {
	return Zoning{Origin: "530000", Zones: []Zone{
		{"local", "省内", []string{"530000"}},
		{"near", "邻近省份", []string{"510000", "520000", "450000", "500000"}},
		{"mid", "华中华南", []string{"440000", "430000", "420000", "460000", "360000", "610000", "410000", "350000"}},
		{"far", "华东华北东北", []string{"110000", "120000", "130000", "140000", "210000", "220000", "230000",
			"310000", "320000", "330000", "340000", "370000", "640000"}},
		{"remote", "偏远地区", []string{"650000", "540000", "630000", "150000", "620000"}},
	}}
}
