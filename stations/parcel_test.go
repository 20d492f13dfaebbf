package stations

import (
	"testing"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

func TestParcelPhones(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"13812345678":       "138****5678",
		"138 1234-5678":     "138****5678",
		"+86 138 1234 5678": "****5678",
		"0871-6543210":      "087****3210",
	} {
		if got := maskParcelPhone(normalisePhone(in)); got != want {
			t.Errorf("%q masked as %q, want %q", in, got, want)
		}
	}
	p := Parcel{Carrier: "SF", TrackingNo: "SF0001", Direction: Down, Station: "V1", WeightG: 10,
		Recipient: &Person{Name: "王芳", Phone: "138-1234-5678"}, Sender: &Person{Name: "x", Phone: "13900001111"}}
	if err := validateParcel(&p, ""); err != nil || p.Recipient.Phone != "13812345678" {
		t.Fatalf("%v %q", err, p.Recipient.Phone)
	}
	maskFor(auth.Principal{Role: auth.Keeper, Scope: "V2"}, &p)
	if p.Recipient.Phone != "138****5678" || p.Sender.Phone != "139****1111" {
		t.Errorf("masked for another keeper: %q %q", p.Recipient.Phone, p.Sender.Phone)
	}
}

func TestUpParcelValueAndPackagingAreChecked(t *testing.T) {
	t.Parallel()
	p := Parcel{Carrier: "SF", Direction: Up, Station: "V1", WeightG: 100, Sender: &Person{MerchantID: "M1"},
		Destination: &Destination{Province: "云南"}, DeclaredValueFen: -1, Packaging: "crate"}
	err := validateParcel(&p, "")
	e, ok := err.(*errs.Error)
	if !ok || len(e.Fields) != 2 || e.Fields[0].Field != "declared_value_fen" || e.Fields[1].Field != "packaging" {
		t.Fatalf("%v", err)
	}
	p.DeclaredValueFen, p.Packaging = MaxDeclaredValueFen, BrandedBox
	if err := validateParcel(&p, ""); err != nil {
		t.Fatal(err)
	}
}
