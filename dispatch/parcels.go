package dispatch

// parcelRow is what planning needs of one parcel.
type parcelRow struct {
	ID         int64
	Carrier    string
	TrackingNo string
	Direction  string
	Station    string
	Category   string
	WeightG    int64
	VolumeCm3  int64
}

// defaultVolumeCm3 is used for a parcel registered without its size: a
// shoebox, the commonest rural parcel.
const defaultVolumeCm3 = 33 * 23 * 12
