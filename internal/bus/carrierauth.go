package bus

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Subjects are what a carrier's NATS login may do; docs/nats-permissions.md
// gives the same rules as nats-server configuration for an external NATS.
//
// Carriers read their events with core NATS subscriptions on their own
// subjects, and publish their reports, acknowledged by JetStream, on their
// own carrier subjects. They get no JetStream API at all: consumer and
// stream requests ($JS.API.>) would let one carrier create a consumer on
// another's subjects, or read per-subject counts of the whole stream. Each
// carrier has its own inbox prefix (nats.CustomInboxPrefix), so replies to
// one carrier, and the county centre's own inboxes, stay invisible to the
// others.
type Subjects struct {
	Publish     []string `json:"publish"`
	Subscribe   []string `json:"subscribe"`
	InboxPrefix string   `json:"inbox_prefix"`
}

// CarrierSubjects are the subjects of carrier code.
func CarrierSubjects(code string) Subjects {
	return Subjects{
		Publish: []string{"tongpei.carrier." + code + ".>"},
		Subscribe: []string{
			"tongpei.parcel." + code + ".>",
			"tongpei.dispatch." + code + ".>",
			"_INBOX." + code + ".>",
		},
		InboxPrefix: "_INBOX." + code,
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

	mu  sync.Mutex
	srv *server.Server
}

// NewAuthenticator checks logins against creds.
func NewAuthenticator(creds *CarrierCredentials, log *slog.Logger) *Authenticator {
	if log == nil {
		log = slog.Default()
	}
	return &Authenticator{creds: creds, log: log}
}

// bind is called by Open with the embedded server before it starts: the
// process's (global) account exports the carriers' subjects, which each
// carrier's account imports.
func (a *Authenticator) bind(srv *server.Server) error {
	g := srv.GlobalAccount()
	if err := g.AddServiceExport("tongpei.carrier.>", nil); err != nil {
		return err
	}
	for _, subj := range []string{"tongpei.parcel.>", "tongpei.dispatch.>"} {
		if err := g.AddStreamExport(subj, nil); err != nil {
			return err
		}
	}
	a.mu.Lock()
	a.srv = srv
	a.mu.Unlock()
	return nil
}

// account returns carrier code's account, making it on first use.
func (a *Authenticator) account(code string) (*server.Account, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.srv == nil {
		return nil, errors.New("the authenticator is not bound to the embedded server")
	}
	acc, isNew := a.srv.LookupOrRegisterAccount("CARRIER_" + code)
	if !isNew {
		return acc, nil
	}
	g := a.srv.GlobalAccount()
	sub := CarrierSubjects(code)
	err := acc.AddServiceImport(g, sub.Publish[0], "")
	for _, subj := range sub.Subscribe[:2] {
		if err == nil {
			err = acc.AddStreamImport(g, subj, "")
		}
	}
	return acc, err
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
	ok, err := a.creds.Verify(ctx, o.Username, o.Password)
	if err != nil {
		a.log.Warn("NATS login refused: cannot check credentials", "user", o.Username, "err", err)
		return false
	}
	if !ok {
		return false
	}
	acc, err := a.account(o.Username)
	if err != nil {
		a.log.Warn("NATS login refused: no account for the carrier", "user", o.Username, "err", err)
		return false
	}
	c.RegisterUser(&server.User{Username: o.Username, Account: acc, Permissions: CarrierSubjects(o.Username).Permissions()})
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
