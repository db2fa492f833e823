package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode"

	yamlv2 "gopkg.in/yaml.v2"
	sigsyaml "sigs.k8s.io/yaml"
)

// The authenticator's row types, with the json tags of pkg/config/types.go (the names and
// omitempty flags decide how encoding/json matches keys; the Go field names do not matter).
type ssoMatcher struct {
	PermissionSetName string `json:"permissionSetName"`
	AccountID         string `json:"accountID"`
	Partition         string `json:"partition,omitempty"`
}

type roleRow struct {
	RoleARN  string      `json:"rolearn,omitempty"`
	SSO      *ssoMatcher `json:"sso,omitempty"`
	Username string      `json:"username"`
	Groups   []string    `json:"groups"`
	UserID   string      `json:"userid,omitempty"`
}

type userRow struct {
	UserARN  string   `json:"userarn"`
	Username string   `json:"username"`
	Groups   []string `json:"groups"`
	UserID   string   `json:"userid,omitempty"`
}

// rowReport is one decoded row, valid or not.
type rowReport struct {
	ARN      string      `json:"arn"`
	Username string      `json:"username"`
	Groups   []string    `json:"groups"`
	SSO      *ssoMatcher `json:"sso,omitempty"`
	Invalid  string      `json:"invalid,omitempty"`
}

type blockReport struct {
	Present bool `json:"present"`
	// Skipped: blank, two backticks, "" or '' (the authenticator's isSkippable).
	Skipped bool `json:"skipped"`
	// Stage that failed: "yaml-to-json", "json-syntax", "json-type" (rows may still be decoded), or "".
	FailedAt string      `json:"failedAt,omitempty"`
	Error    string      `json:"error,omitempty"`
	Rows     []rowReport `json:"rows"`
}

type accountsReport struct {
	Present  bool     `json:"present"`
	Skipped  bool     `json:"skipped"`
	Error    string   `json:"error,omitempty"`
	Accounts []string `json:"accounts"`
}

type parsedData struct {
	roles, users blockReport
	roleRows     []roleRow
	userRows     []userRow
	accounts     accountsReport
}

func isBlank(value string) bool {
	switch strings.TrimSpace(value) {
	case "", "``", `""`, "''":
		return true
	}
	return false
}

// toJSON is k8s.io/apimachinery/pkg/util/yaml.ToJSON: a value whose first non-space rune
// (unicode.IsSpace) is `{` is passed through as JSON, anything else is converted from YAML.
func toJSON(value []byte) ([]byte, error) {
	if bytes.HasPrefix(bytes.TrimLeftFunc(value, unicode.IsSpace), []byte("{")) {
		return value, nil
	}
	return sigsyaml.YAMLToJSON(value)
}

// decodeBlock runs one mapRoles/mapUsers value through ToJSON and json.Unmarshal into target,
// a pointer to a slice; it fills report's presence and failure fields.
func decodeBlock(data map[string]string, key string, target interface{}, report *blockReport) {
	value, ok := data[key]
	report.Present = ok
	report.Rows = []rowReport{}
	if !ok {
		return
	}
	if isBlank(value) {
		report.Skipped = true
		return
	}
	asJSON, err := toJSON([]byte(value))
	if err != nil {
		report.FailedAt, report.Error = "yaml-to-json", err.Error()
		return
	}
	if err := json.Unmarshal(asJSON, target); err != nil {
		report.Error = err.Error()
		if _, isType := err.(*json.UnmarshalTypeError); isType {
			report.FailedAt = "json-type"
		} else {
			report.FailedAt = "json-syntax"
		}
	}
}

func parseData(data map[string]string) parsedData {
	var out parsedData
	roles := make([]roleRow, 0)
	decodeBlock(data, "mapRoles", &roles, &out.roles)
	for _, row := range roles {
		report := rowReport{ARN: row.RoleARN, Username: row.Username, Groups: nonNil(row.Groups), SSO: row.SSO}
		if err := validateRole(row); err != "" {
			report.Invalid = err
		}
		out.roles.Rows = append(out.roles.Rows, report)
	}
	out.roleRows = roles

	users := make([]userRow, 0)
	decodeBlock(data, "mapUsers", &users, &out.users)
	for _, row := range users {
		report := rowReport{ARN: row.UserARN, Username: row.Username, Groups: nonNil(row.Groups)}
		if row.UserARN == "" {
			report.Invalid = "value for userarn must be supplied"
		}
		out.users.Rows = append(out.users.Rows, report)
	}
	out.userRows = users

	out.accounts.Accounts = []string{}
	if value, ok := data["mapAccounts"]; ok {
		out.accounts.Present = true
		if isBlank(value) {
			out.accounts.Skipped = true
		} else {
			accounts := make([]string, 0)
			// yaml.v2 keeps the items it could decode when others have the wrong type; ParseMap keeps them too.
			if err := yamlv2.Unmarshal([]byte(value), &accounts); err != nil {
				out.accounts.Error = err.Error()
			}
			out.accounts.Accounts = nonNil(accounts)
		}
	}
	return out
}

func nonNil(values []string) []string {
	if values == nil {
		return []string{}
	}
	return values
}
