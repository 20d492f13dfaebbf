package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
)

// Subjects are what a carrier's NATS login may do; docs/nats-permissions.md
// gives the same rules as nats-server configuration for an external NATS.
//
// Carriers publish their reports, acknowledged by JetStream, on their own
// carrier subjects, and read their events either live, with core NATS
// subscriptions on their own subjects, or durably, from the two pull
// consumers tongpei keeps for each of them (Consumers), which hold what
// was published while the carrier was away. Of the JetStream API they may
// only read those two consumers' info, pull from them and ack: creating a
// consumer or reading a stream would reach other carriers' subjects. Each
// carrier has its own inbox prefix (nats.CustomInboxPrefix).
type Subjects struct {
	Publish     []string          `json:"publish"`
	Subscribe   []string          `json:"subscribe"`
	InboxPrefix string            `json:"inbox_prefix"`
	Consumers   []DurableConsumer `json:"consumers"`
}

// DurableConsumer is a JetStream pull consumer kept for one carrier.
type DurableConsumer struct {
	Stream string `json:"stream"`
	Name   string `json:"name"`
	Filter string `json:"filter"`
}

// CarrierSubjects are the subjects of carrier code in a single-county
// install.
func CarrierSubjects(code string) Subjects { return CarrierSubjectsIn(Layout{}, code, nil) }

// CarrierSubjectsIn are the subjects of carrier code serving counties in
// layout l: with per-county subjects, its own parcel, dispatch and carrier
// subjects in each of those counties and nowhere else (one login for all of
// them); in the single-county layout counties is ignored.
func CarrierSubjectsIn(l Layout, code string, counties []string) Subjects {
	s := Subjects{
		InboxPrefix: "_INBOX." + code,
		Consumers:   CarrierConsumersIn(l, code, counties),
	}
	for _, county := range servedIn(l, counties) {
		s.Publish = append(s.Publish, l.In(FamilyCarrier, county).Of(code))
		s.Subscribe = append(s.Subscribe, l.In(FamilyParcel, county).Of(code), l.In(FamilyDispatch, county).Of(code))
	}
	s.Subscribe = append(s.Subscribe, "_INBOX."+code+".>")
	for _, c := range s.Consumers {
		s.Publish = append(s.Publish, consumerAPI(c.Stream, c.Name)...)
	}
	return s
}

// servedIn are the counties a carrier's subjects are made for: one county
// with no name in the single-county layout.
func servedIn(l Layout, counties []string) []string {
	if !l.PerCounty {
		return []string{""}
	}
	return counties
}

// CarrierConsumers are the durable consumers kept for carrier code: its
// parcel events and its dispatch jobs.
func CarrierConsumers(code string) []DurableConsumer { return CarrierConsumersIn(Layout{}, code, nil) }

// CarrierConsumersIn are carrier code's durable consumers in layout l: with
// per-county subjects one pair per county, named carrier_<code>_<county>,
// so each filters one subject (nats-server 2.9 has no multi-filter
// consumers) and a county's consumers can follow a county's own stream.
func CarrierConsumersIn(l Layout, code string, counties []string) []DurableConsumer {
	var list []DurableConsumer
	for _, county := range servedIn(l, counties) {
		name := "carrier_" + code
		if county != "" {
			name += "_" + county
		}
		list = append(list,
			DurableConsumer{Stream: StreamParcels, Name: name, Filter: l.In(FamilyParcel, county).Of(code)},
			DurableConsumer{Stream: StreamDispatch, Name: name, Filter: l.In(FamilyDispatch, county).Of(code)})
	}
	return list
}

// consumerAPI are the subjects a client publishes to read one consumer's
// info, pull from it and ack its messages.
func consumerAPI(stream, name string) []string {
	return []string{
		"$JS.API.CONSUMER.INFO." + stream + "." + name,
		"$JS.API.CONSUMER.MSG.NEXT." + stream + "." + name,
		"$JS.ACK." + stream + "." + name + ".>",
	}
}

// Permissions are Subjects as the server enforces them.
func (s Subjects) Permissions() *server.Permissions {
	return &server.Permissions{
		Publish:   &server.SubjectPermission{Allow: append([]string(nil), s.Publish...)},
		Subscribe: &server.SubjectPermission{Allow: append([]string(nil), s.Subscribe...)},
	}
}

// Authenticator admits carriers to the embedded NATS with a login from
// CarrierCredentials and confines each to its own subjects. Pass it as
// Config.Auth; the process's own connection is admitted before it is asked.
//
// Permissions alone are not enough: whoever publishes into a stream chooses
// the reply subject of its acknowledgement, and the server sends it there
// whatever the publisher's permissions, so a carrier could aim acks at
// another carrier's subjects. Each carrier is therefore put in an account
// of its own (CARRIER_<code>) that imports only its subjects from the
// process's account: replies to it stay in its account.
type Authenticator struct {
	creds *CarrierCredentials
	log   *slog.Logger

	mu      sync.Mutex
	srv     *server.Server
	js      jetstream.JetStream
	ensured map[string]bool
}

// NewAuthenticator checks logins against creds.
func NewAuthenticator(creds *CarrierCredentials, log *slog.Logger) *Authenticator {
	if log == nil {
		log = slog.Default()
	}
	return &Authenticator{creds: creds, log: log}
}

// layout is the subjects' layout of the logins (CarrierCredentials.PerCounty).
func (a *Authenticator) layout() Layout {
	a.creds.mu.Lock()
	defer a.creds.mu.Unlock()
	return a.creds.layout
}

// bind is called by Open with the embedded server before it starts: the
// process's (global) account exports the carriers' subjects and the API of
// their consumers, which each carrier's account imports for itself.
func (a *Authenticator) bind(srv *server.Server) error {
	g := srv.GlobalAccount()
	l := a.layout()
	err := g.AddServiceExport(l.In(FamilyCarrier, AnyCounty).All(), nil)
	for _, subj := range []string{l.In(FamilyParcel, AnyCounty).All(), l.In(FamilyDispatch, AnyCounty).All()} {
		if err == nil {
			err = g.AddStreamExport(subj, nil)
		}
	}
	for _, stream := range []string{StreamParcels, StreamDispatch} {
		api := consumerAPI(stream, "*")
		api[2] = "$JS.ACK." + stream + ".>"
		if err == nil {
			err = g.AddServiceExport(api[0], nil)
		}
		if err == nil {
			err = g.AddServiceExportWithResponse(api[1], server.Streamed, nil)
		}
		if err == nil {
			err = g.AddServiceExport(api[2], nil)
		}
	}
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.srv = srv
	a.mu.Unlock()
	return nil
}

// UseJetStream lets the authenticator create a carrier's durable consumers
// at its first login in this process (EnsureCarrierConsumers); Open calls
// it with the process's own connection.
func (a *Authenticator) UseJetStream(js jetstream.JetStream) {
	a.mu.Lock()
	a.js = js
	a.mu.Unlock()
}

// account returns carrier code's account, making it on first use: it
// imports the carrier's own subjects and its consumers' API.
func (a *Authenticator) account(l Layout, code string, subj Subjects, counties []string) (*server.Account, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.srv == nil {
		return nil, errors.New("the authenticator is not bound to the embedded server")
	}
	// The account is named by the counties too: a carrier that starts
	// serving another county gets a new account with its imports at its
	// next login, and never keeps one it no longer serves.
	name := "CARRIER_" + code
	if l.PerCounty {
		name += "_" + strings.Join(counties, "_")
	}
	acc, isNew := a.srv.LookupOrRegisterAccount(name)
	if !isNew {
		return acc, nil
	}
	g := a.srv.GlobalAccount()
	var err error
	for _, county := range servedIn(l, counties) {
		if err == nil {
			err = acc.AddServiceImport(g, l.In(FamilyCarrier, county).Of(code), "")
		}
		for _, s := range []string{l.In(FamilyParcel, county).Of(code), l.In(FamilyDispatch, county).Of(code)} {
			if err == nil {
				err = acc.AddStreamImport(g, s, "")
			}
		}
	}
	for _, c := range subj.Consumers {
		for _, subj := range consumerAPI(c.Stream, c.Name) {
			if err == nil {
				err = acc.AddServiceImport(g, subj, "")
			}
		}
	}
	return acc, err
}

// ensureConsumers creates the carrier's consumers once per process.
func (a *Authenticator) ensureConsumers(code string, consumers []DurableConsumer) {
	key := code
	for _, c := range consumers {
		key += " " + c.Name
	}
	a.mu.Lock()
	js, done := a.js, a.ensured[key]
	a.mu.Unlock()
	if js == nil || done {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := ensureConsumers(ctx, js, code, consumers); err != nil {
		a.log.Warn("carrier's durable consumers", "carrier", code, "err", err)
		return
	}
	a.mu.Lock()
	if a.ensured == nil {
		a.ensured = map[string]bool{}
	}
	a.ensured[key] = true
	a.mu.Unlock()
}

// EnsureCarrierConsumers creates or updates carrier code's durable pull
// consumers; they start from the oldest message the streams still hold.
func EnsureCarrierConsumers(ctx context.Context, js jetstream.JetStream, code string) error {
	return ensureConsumers(ctx, js, code, CarrierConsumers(code))
}

// EnsureCarrierConsumersIn is EnsureCarrierConsumers in layout l for the
// counties carrier code serves (an external NATS with per-county subjects).
func EnsureCarrierConsumersIn(ctx context.Context, js jetstream.JetStream, l Layout, code string, counties []string) error {
	return ensureConsumers(ctx, js, code, CarrierConsumersIn(l, code, counties))
}

func ensureConsumers(ctx context.Context, js jetstream.JetStream, code string, consumers []DurableConsumer) error {
	if !ValidCarrierCode(code) {
		return fmt.Errorf("carrier code %q cannot name NATS subjects", code)
	}
	for _, c := range consumers {
		_, err := js.CreateOrUpdateConsumer(ctx, c.Stream, jetstream.ConsumerConfig{
			Durable:       c.Name,
			Description:   "what carrier " + code + " pulls",
			FilterSubject: c.Filter,
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       30 * time.Second,
			MaxAckPending: 1000,
			DeliverPolicy: jetstream.DeliverAllPolicy,
		})
		if err != nil {
			return fmt.Errorf("consumer %s on %s: %w", c.Name, c.Stream, err)
		}
	}
	return nil
}

// Check implements server.Authentication. It runs while the server reads
// the client's CONNECT, so the database lookup is bounded.
func (a *Authenticator) Check(c server.ClientAuthentication) bool {
	if c.Kind() != server.CLIENT {
		return false
	}
	o := c.GetOpts()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	county, ok, err := a.creds.login(ctx, o.Username, o.Password)
	if err != nil {
		a.log.Warn("NATS login refused: cannot check credentials", "user", o.Username, "err", err)
		return false
	}
	if !ok {
		return false
	}
	// A login of one county reaches the carrier's subjects there; a
	// province-wide one, those of every county the carrier serves.
	l, counties, err := a.creds.reach(ctx, o.Username, county)
	if err != nil {
		a.log.Warn("NATS login refused: cannot tell the carrier's counties", "user", o.Username, "err", err)
		return false
	}
	if l.PerCounty && len(counties) == 0 {
		a.log.Warn("NATS login refused: the carrier serves no county this login works for", "user", o.Username, "login_county", county)
		return false
	}
	subj := CarrierSubjectsIn(l, o.Username, counties)
	acc, err := a.account(l, o.Username, subj, counties)
	if err != nil {
		a.log.Warn("NATS login refused: no account for the carrier", "user", o.Username, "err", err)
		return false
	}
	a.ensureConsumers(o.Username, subj.Consumers)
	c.RegisterUser(&server.User{Username: o.Username, Account: acc, Permissions: subj.Permissions()})
	return true
}

// DisconnectUser drops every connection of user to the embedded server and
// returns how many there were; with an external NATS it does nothing.
func (b *Bus) DisconnectUser(user string) int {
	if b.Server == nil {
		return 0
	}
	conns, err := b.Server.Connz(&server.ConnzOptions{User: user, Username: true, Limit: 1 << 16})
	if err != nil {
		return 0
	}
	n := 0
	for _, ci := range conns.Conns {
		if ci.AuthorizedUser == user && b.Server.DisconnectClientByID(ci.Cid) == nil {
			n++
		}
	}
	return n
}
