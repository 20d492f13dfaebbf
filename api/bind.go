package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/errs"
)

// maxBody bounds what one request may send (a batch of 1,000 scans fits).
const maxBody = 8 << 20

// decode reads a JSON body into v, refusing unknown fields, trailing data and
// wrong types with an Invalid error that names the field.
func decode(c *gin.Context, v any) error {
	body, err := readBody(c, maxBody)
	if err != nil {
		return err
	}
	return decodeBytes(body, v)
}

// decodeBytes is decode for a body already read: the text and member names
// are checked first (checkJSON), then the value is decoded strictly.
func decodeBytes(body []byte, v any) error {
	if err := checkJSON(body, 0); err != nil {
		return err
	}
	return decodeChecked(body, v)
}

// decodeChecked decodes a body whose text checkJSON has passed.
func decodeChecked(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return invalidField("body", "unexpected data after the JSON value")
	}
	return nil
}

func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return invalidField("body", "the request body is empty; send a JSON object")
	case errors.As(err, &syntax):
		return invalidField("body", fmt.Sprintf("malformed JSON at byte %d: %v", syntax.Offset, syntax))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalidField("body", "malformed JSON: the body ends too early")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return invalidField(field, fmt.Sprintf("must be %s, not JSON %s", jsonKind(typ.Type.Kind().String()), typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return invalidField(name, "unknown field")
	}
	var e *errs.Error
	if errors.As(err, &e) { // from a type's own UnmarshalJSON
		return e
	}
	return invalidField("body", err.Error())
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "map", "struct", "ptr":
		return "an object"
	}
	return goKind
}

func invalidField(field, reason string) error {
	var f errs.Fields
	f.Add(field, "%s", reason)
	return f.Err()
}
