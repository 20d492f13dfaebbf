package stations

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

// Register registers parcels, down or up, and says what became of each in
// the order given. A parcel already registered under its carrier and
// tracking number is left as it is ("exists"), so a resent manifest is
// harmless. Registering is no scan: the timeline starts with the first
// scan (created_at says when the parcel was registered). One transaction, a
// fixed number of round trips.
func (c *Custody) Register(ctx context.Context, who auth.Principal, parcels []Parcel) ([]RegisterResult, error) {
	switch {
	case len(parcels) == 0:
		return nil, errs.E(errs.Invalid, "send at least one parcel")
	case len(parcels) > MaxParcels:
		return nil, errs.E(errs.Invalid, "send at most %d parcels per batch, not %d; split the manifest", MaxParcels, len(parcels))
	}
	var results []RegisterResult
	err := c.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		results, err = c.registerTx(ctx, tx, who, parcels)
		return err
	})
	return results, custodyErr(err, "register the parcels")
}

// registerTx is Register inside the caller's transaction, so that a
// carrier's manifest registers and scans its parcels atomically.
func (c *Custody) registerTx(ctx context.Context, tx pgx.Tx, who auth.Principal, in []Parcel) ([]RegisterResult, error) {
	ps := make([]Parcel, len(in))
	for i, p := range in { // filling in and normalising must not touch the caller's parcels
		ps[i] = p.clone()
	}
	results := make([]RegisterResult, len(ps))
	for i := range ps { // first, so that the token can fill in its scope
		if err := authorizeRegistration(who, &ps[i]); err != nil {
			results[i] = RegisterResult{Carrier: ps[i].Carrier, TrackingNo: ps[i].TrackingNo, Status: StatusRejected,
				Code: CodeForbidden, Detail: err.Error()}
		}
	}
	r, orderNos, err := loadRefs(ctx, tx, ps)
	if err != nil {
		return nil, err
	}
	var ok []int
	for i := range ps {
		p := &ps[i]
		if results[i].Status != "" {
			continue
		}
		at := ""
		if len(ps) > 1 {
			at = fmt.Sprintf("parcels[%d].", i)
		}
		if p.Direction == Up && p.TrackingNo == "" {
			p.TrackingNo, orderNos = orderNumber(orderNos[0]), orderNos[1:]
		}
		if results[i], _ = checkParcel(p, r, at); results[i].Status == "" {
			ok = append(ok, i)
		}
	}
	created, err := insertParcels(ctx, tx, ps, ok)
	if err != nil {
		return nil, err
	}
	for _, i := range ok {
		if created[i] {
			results[i].Status = StatusCreated
		} else {
			results[i].Status, results[i].Detail = StatusExists, "already registered; left as it was"
		}
	}
	return results, nil
}

// loadRefs reads the stations, carriers and merchants a batch names, and
// reserves order numbers for up parcels that came without one.
func loadRefs(ctx context.Context, tx pgx.Tx, ps []Parcel) (refs, []int64, error) {
	var stationCodes, carrierCodes, merchantIDs []string
	orders := 0
	for _, p := range ps {
		stationCodes, carrierCodes = append(stationCodes, p.Station), append(carrierCodes, p.Carrier)
		if p.Sender != nil && p.Sender.MerchantID != "" {
			merchantIDs = append(merchantIDs, p.Sender.MerchantID)
		}
		if p.Direction == Up && p.TrackingNo == "" {
			orders++
		}
	}
	r := refs{tiers: map[string]string{}, carriers: map[string]bool{}, merchants: map[string]bool{}}
	var orderNos []int64
	var carriers, merchants []string
	err := tx.QueryRow(ctx, `
		SELECT (SELECT coalesce(jsonb_object_agg(code, tier), '{}') FROM stations WHERE code = ANY($1) AND active),
		       (SELECT coalesce(array_agg(code), '{}') FROM carriers WHERE code = ANY($2) AND active),
		       (SELECT coalesce(array_agg(id), '{}') FROM merchants WHERE id = ANY($3)),
		       (SELECT coalesce(array_agg(nextval('parcel_order_seq')), '{}') FROM generate_series(1, $4))`,
		stationCodes, carrierCodes, merchantIDs, orders).Scan(&r.tiers, &carriers, &merchants, &orderNos)
	for _, c := range carriers {
		r.carriers[c] = true
	}
	for _, m := range merchants {
		r.merchants[m] = true
	}
	return r, orderNos, err
}

// insertParcels inserts the parcels at the indexes ok, skipping those
// already registered, and reports which indexes were new.
func insertParcels(ctx context.Context, tx pgx.Tx, ps []Parcel, ok []int) (map[int]bool, error) {
	created := map[int]bool{}
	if len(ok) == 0 {
		return created, nil
	}
	n := len(ok)
	col := func() []string { return make([]string, n) }
	carrier, tn, dir, station, rname, rphone, smer, sname, sphone := col(), col(), col(), col(), col(), col(), col(), col(), col()
	cat, prov, city, quote, idx := col(), col(), col(), col(), make([]int32, n)
	weight, l, w, h := make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)
	value, packaging := make([]int64, n), col()
	for j, i := range ok {
		p := &ps[i]
		idx[j], carrier[j], tn[j], dir[j], station[j] = int32(i), p.Carrier, p.TrackingNo, p.Direction, p.Station
		if p.Recipient != nil {
			rname[j], rphone[j] = p.Recipient.Name, p.Recipient.Phone
		}
		if p.Sender != nil {
			smer[j], sname[j], sphone[j] = p.Sender.MerchantID, p.Sender.Name, p.Sender.Phone
		}
		if p.SizeCM != nil {
			l[j], w[j], h[j] = int32(p.SizeCM.L), int32(p.SizeCM.W), int32(p.SizeCM.H)
		}
		if p.Destination != nil {
			prov[j], city[j] = p.Destination.Province, p.Destination.City
		}
		weight[j], cat[j], quote[j] = int32(p.WeightG), p.Category, p.QuoteID
		value[j], packaging[j] = p.DeclaredValueFen, p.Packaging
	}
	rows, err := tx.Query(ctx, `
		INSERT INTO parcels (carrier, tracking_no, direction, station, state, recipient_name, recipient_phone,
		    sender_merchant, sender_name, sender_phone, weight_g, size_l, size_w, size_h, category,
		    dest_province, dest_city, quote_id, declared_value_fen, packaging)
		SELECT c, t, d, s, 'registered', rn, rp, sm, sn, sp, wg, l, w, h, cat, pr, ci, q, v, pk
		FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
		            $9::text[], $10::text[], $11::int[], $12::int[], $13::int[], $14::int[], $15::text[], $16::text[],
		            $17::text[], $18::text[], $19::bigint[], $20::text[])
		     u (i, c, t, d, s, rn, rp, sm, sn, sp, wg, l, w, h, cat, pr, ci, q, v, pk)
		ORDER BY i
		ON CONFLICT (county, tracking_no, carrier) DO NOTHING
		RETURNING carrier, tracking_no`,
		idx, carrier, tn, dir, station, rname, rphone, smer, sname, sphone, weight, l, w, h, cat, prov, city, quote,
		value, packaging)
	if err != nil {
		return nil, err
	}
	byKey := map[[2]string]int{}
	for _, i := range ok { // the first of two equal keys is the one inserted
		if _, dup := byKey[[2]string{ps[i].Carrier, ps[i].TrackingNo}]; !dup {
			byKey[[2]string{ps[i].Carrier, ps[i].TrackingNo}] = i
		}
	}
	for rows.Next() {
		var key [2]string
		if err := rows.Scan(&key[0], &key[1]); err != nil {
			return nil, err
		}
		created[byKey[key]] = true
	}
	return created, rows.Err()
}
