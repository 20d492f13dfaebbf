package tongpei

import (
	"mime"
	"net/http"
)

// New is NewClientWithResponses for tongpei: the same options, with each
// response's Content-Type reduced to its bare media type before the
// generated code reads it. Where one status has two JSON media types
// (GET /v1/stations and a plan's GET: application/json or
// application/geo+json), oapi-codegen v2.8.2 compares the header exactly,
// and the server's JSON answers say "application/json; charset=utf-8"
// (a parameter RFC 8259 §11 says has no effect), so JSON200 would stay nil.
// Use New, not NewClientWithResponses.
func New(server string, opts ...ClientOption) (*ClientWithResponses, error) {
	c, err := NewClient(server, opts...)
	if err != nil {
		return nil, err
	}
	c.Client = mediaTypeOnly{c.Client}
	return &ClientWithResponses{c}, nil
}

// mediaTypeOnly drops the parameters of a response's Content-Type.
type mediaTypeOnly struct{ HttpRequestDoer }

func (d mediaTypeOnly) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.HttpRequestDoer.Do(req)
	if err != nil {
		return resp, err
	}
	if mt, _, perr := mime.ParseMediaType(resp.Header.Get("Content-Type")); perr == nil {
		resp.Header.Set("Content-Type", mt)
	}
	return resp, nil
}
