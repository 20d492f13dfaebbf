package dispatch

import (
	"fmt"
	"hash/fnv"
	"math"
	"strings"
)

// DemoStation is a station of the demonstration county.
type DemoStation struct {
	Code, Name, Tier, Parent, Township string
	Lon, Lat                           float64
	KeeperName, KeeperPhone            string
	// Size weighs how many parcels the station sees: communities and the
	// county seat more than mountain villages.
	Size float64
}

// demoDivision is one township-level division of Xinping county (新平县,
// 530427) from seed/DIGEST.md. Seats and the villages' spread are
// ESTIMATES (±15 km), good enough for a believable demonstration map and
// not a survey.
type demoDivision struct {
	code, name string
	lat, lon   float64
	spreadKm   float64 // how far its villages lie from the seat
	villages   string  // 、-separated, as in the statistical division list
}

var demoDivisions = []demoDivision{
	{"530427001", "桂山街道", 24.069, 101.989, 3, "五桂社区、凤凰社区、青龙社区、太平社区、亚尼社区"},
	{"530427002", "古城街道", 24.05, 101.98, 4, "锦秀社区、古城社区、纳溪社区、昌源社区、他拉社区"},
	{"530427100", "扬武镇", 24.20, 102.12, 9, "扬武社区、大开门社区、丕且莫、写莫、赵米克、丁苴、尼蚱、老白甸、顺水、马鹿寨"},
	{"530427101", "漠沙镇", 23.88, 101.80, 10, "曼竜社区、龙河社区、曼勒社区、和平、仁和、黎明、鱼塘、团结、胜利、关圣、曼线、双河、坡头、西尼、曼蚌、峨德、小坝多、平安"},
	{"530427102", "戛洒镇", 24.05, 101.58, 10, "戛洒社区、大红山社区、腰街社区、南蚌社区、平寨社区、曼哈社区、达哈、平田、耀南、冬瓜林、发启、大田、米尺莫、竹园、新寨、纸厂、磨刀、腊戛底"},
	{"530427103", "水塘镇", 23.98, 101.68, 8, "水塘社区、现刀、波村、大口、南达、旧哈、拉博、邦迈、金厂"},
	{"530427200", "平甸乡", 24.13, 101.93, 7, "小石缸、宁河、梭克、红星、磨皮、弥勒、桃孔、费贾、白鹤、者甸"},
	{"530427201", "新化乡", 24.32, 101.88, 9, "新化社区、甸末、代味、鲁一尼、六竜、新甸、大寨、白达莫、海外、布者、阿宝、者渣、老五斗"},
	{"530427202", "建兴乡", 24.28, 101.72, 8, "马鹿社区、帽盒、挖窖、盘龙、中寨、建兴、磨味"},
	{"530427203", "老厂乡", 24.10, 101.78, 8, "苛苴社区、太桥、太和、转马都、马家坝、罗柴冲、保和、黑查莫、哈科底、勐炳、马房"},
	{"530427204", "者竜乡", 23.85, 101.55, 9, "庆丰社区、竹箐、向阳、者竜、渔科、春元、腰村、峨毛"},
	{"530427205", "平掌乡", 24.20, 101.60, 9, "平掌社区、梭山、联合、仓房、库独木、丫口、瓦寺、曼干、富库、柏枝"},
}

// DemoHubCode is the county warehouse in Guishan, where every route starts.
const DemoHubCode = "530427-HUB"

// DemoCounty is the demonstration county's stations: the hub, one township
// station per division seat and its 124 village-level stations, placed
// deterministically around the seats. Used by tests and by demo-day when
// the county has not been loaded yet.
func DemoCounty() []DemoStation {
	out := []DemoStation{{Code: DemoHubCode, Name: "新平县物流仓储配送中心", Tier: "county_hub", Township: "桂山街道",
		Lon: 101.989, Lat: 24.069, KeeperName: "县配送中心", KeeperPhone: demoPhone("hub"), Size: 0}}
	for _, d := range demoDivisions {
		out = append(out, DemoStation{Code: d.code, Name: d.name + "服务站", Tier: "township", Parent: DemoHubCode,
			Township: d.name, Lon: d.lon + 0.002, Lat: d.lat + 0.002, KeeperName: d.name + "站长", KeeperPhone: demoPhone(d.code), Size: 0})
		for i, v := range strings.Split(d.villages, "、") {
			code := fmt.Sprintf("%s-%02d", d.code, i+1)
			h := demoHash(code)
			angle := float64(h%3600) / 3600 * 2 * math.Pi
			r := d.spreadKm * (0.25 + 0.75*float64((h/3600)%1000)/1000)
			lat := d.lat + r/111.32*math.Sin(angle)
			lon := d.lon + r/(111.32*math.Cos(d.lat*math.Pi/180))*math.Cos(angle)
			size := DemoSize(code, v, d.name)
			out = append(out, DemoStation{Code: code, Name: v + "服务站", Tier: "village", Parent: d.code, Township: d.name,
				Lon: math.Round(lon*1e5) / 1e5, Lat: math.Round(lat*1e5) / 1e5,
				KeeperName: v + "站长", KeeperPhone: demoPhone(code), Size: size})
		}
	}
	return out
}

// DemoCarriers are the express companies stationed at the county centre
// (KPI item 11 asks for at least 6).
var DemoCarriers = []struct{ Code, Name string }{
	{"ZTO", "中通快递"}, {"YTO", "圆通速递"}, {"STO", "申通快递"}, {"YUNDA", "韵达速递"},
	{"JT", "极兔速递"}, {"EMS", "中国邮政EMS"}, {"SF", "顺丰速运"},
}

// DemoSize is how many parcels a village-level station sees relative to a
// mountain village: communities (社区) twice as many, those of the county
// seat's two subdistricts more again, each varied a little by its code so
// that the day is not uniform. demo-day uses it for any registry.
func DemoSize(code, name, township string) float64 {
	size := 1.0
	if strings.Contains(name, "社区") {
		size = 2.0
	}
	if township == "桂山街道" || township == "古城街道" {
		size = 2.5
	}
	return size * (0.6 + 0.8*float64((demoHash(code)/7)%100)/100)
}

func demoHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func demoPhone(seed string) string {
	return fmt.Sprintf("139%08d", demoHash(seed)%100_000_000)
}
