package main

import (
	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/api"
)

// newOpenAPICmd prints the OpenAPI document the server serves at
// /openapi.json, for SDK generators and linters that want a file.
func newOpenAPICmd() *cobra.Command {
	return &cobra.Command{
		Use:   "openapi",
		Short: "Print the OpenAPI 3.1 document of the HTTP API (what /openapi.json serves)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			doc, err := api.OpenAPI()
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(append(doc, '\n'))
			return err
		},
	}
}
