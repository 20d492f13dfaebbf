package api_test

import (
	"net/http"
	"testing"

	"github.com/tongpei/tongpei/internal/auth"
)

func TestTokensNeedAdmin(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t)
	expect(t, a.do("GET", "/v1/tokens", "", nil), http.StatusUnauthorized)
	expect(t, a.do("GET", "/v1/tokens", "tp_nonsense", nil), http.StatusUnauthorized)
	keeper := a.token(auth.Keeper, "XP-V-0001")
	w := a.do("GET", "/v1/tokens", keeper, nil)
	expect(t, w, http.StatusForbidden)
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q", ct)
	}
	expect(t, a.do("GET", "/v1/tokens", a.admin, nil), http.StatusOK)
}

func TestRevokedTokenIsRefused(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t)
	w := a.do("POST", "/v1/tokens", a.admin, map[string]any{"role": "admin", "name": "second"})
	expect(t, w, http.StatusCreated)
	created := decodeBody[struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}](t, w)
	expect(t, a.do("GET", "/v1/tokens", created.Token, nil), http.StatusOK)
	expect(t, a.do("DELETE", "/v1/tokens/"+itoa(created.ID), a.admin, nil), http.StatusNoContent)
	expect(t, a.do("GET", "/v1/tokens", created.Token, nil), http.StatusUnauthorized)
	expect(t, a.do("DELETE", "/v1/tokens/999999", a.admin, nil), http.StatusNotFound)
}

func TestTokenRequestValidation(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t)
	for name, body := range map[string]string{
		"malformed":     `{"role":`,
		"unknown field": `{"role":"admin","colour":"red"}`,
		"wrong type":    `{"role":7}`,
		"unknown role":  `{"role":"mayor"}`,
	} {
		w := a.do("POST", "/v1/tokens", a.admin, body)
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d: %s", name, w.Code, w.Body.String())
		}
	}
}
