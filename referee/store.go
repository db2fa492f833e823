package main

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	twelveDigits      = regexp.MustCompile(`^[0-9]{12}$`)
	permissionSetName = regexp.MustCompile(`^[\w+=,.@-]{1,32}$`)
	instanceID        = regexp.MustCompile(`^i-(\w{8}|\w{17})$`)
	knownPartitions   = map[string]bool{
		"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true,
		"aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
	}
)

// validateRole mirrors RoleMapping.Validate. Its final ArnLike check cannot fail once the account
// and permission-set checks pass, so it is not repeated here.
func validateRole(row roleRow) string {
	switch {
	case row.RoleARN == "" && row.SSO == nil:
		return "one of rolearn or SSO must be supplied"
	case row.RoleARN != "" && row.SSO != nil:
		return "only one of rolearn or SSO can be supplied"
	case row.SSO == nil:
		return ""
	case !twelveDigits.MatchString(row.SSO.AccountID):
		return fmt.Sprintf("AccountID '%s' is not a valid AWS Account ID", row.SSO.AccountID)
	case !permissionSetName.MatchString(row.SSO.PermissionSetName):
		return fmt.Sprintf("PermissionSetName '%s' is not a valid AWS SSO PermissionSet Name", row.SSO.PermissionSetName)
	case row.SSO.Partition != "" && !knownPartitions[row.SSO.Partition]:
		return fmt.Sprintf("partition '%s' is not a valid AWS partition", row.SSO.Partition)
	}
	return ""
}

// ssoKey is RoleMapping.SSOArnLike, including its quirk: a non-empty partition is left out.
func ssoKey(sso *ssoMatcher) string {
	partition := ""
	if sso.Partition == "" {
		partition = "aws"
	}
	return strings.ToLower(fmt.Sprintf("arn:%s:iam::%s:role/AWSReservedSSO_%s_*", partition, sso.AccountID, sso.PermissionSetName))
}

type storedRow struct {
	index    int
	arn      string
	username string
	groups   []string
}

// mapStore is MapStore after saveMap: valid rows keyed (roles by lower-cased ARN or SSO pattern,
// users by the raw ARN), a later row replacing an earlier one with the same key.
type mapStore struct {
	roles    map[string]storedRow
	users    map[string]storedRow
	accounts map[string]bool
}

func newMapStore(parsed parsedData) *mapStore {
	store := &mapStore{roles: map[string]storedRow{}, users: map[string]storedRow{}, accounts: map[string]bool{}}
	for i, row := range parsed.roleRows {
		if parsed.roles.Rows[i].Invalid != "" {
			continue
		}
		key := strings.ToLower(row.RoleARN)
		if row.RoleARN == "" {
			key = ssoKey(row.SSO)
		}
		store.roles[key] = storedRow{index: i, arn: row.RoleARN, username: row.Username, groups: row.Groups}
	}
	for i, row := range parsed.userRows {
		if parsed.users.Rows[i].Invalid != "" {
			continue
		}
		store.users[row.UserARN] = storedRow{index: i, arn: row.UserARN, username: row.Username, groups: row.Groups}
	}
	for _, account := range parsed.accounts.Accounts {
		store.accounts[account] = true
	}
	return store
}

func (s *mapStore) storedRoleRows() []int { return rowIndexes(s.roles) }
func (s *mapStore) storedUserRows() []int { return rowIndexes(s.users) }

func rowIndexes(rows map[string]storedRow) []int {
	indexes := []int{}
	for _, row := range rows {
		indexes = append(indexes, row.index)
	}
	return sortedInts(indexes)
}

// principal is the authenticator's token.Identity, reduced to what mapping and templates read.
type principal struct {
	CanonicalARN string `json:"canonicalArn"`
	AccountID    string `json:"accountId"`
	SessionName  string `json:"sessionName"`
	AccessKeyID  string `json:"accessKeyId"`
	// PrivateDNSName is what EC2 DescribeInstances would answer for the session's instance.
	PrivateDNSName string `json:"privateDnsName"`
}

// candidate is one answer the authenticator can give; several when Go's random map order decides.
type candidate struct {
	Via         string   `json:"via"` // mapRoles, mapUsers or mapAccounts
	Row         int      `json:"row"` // -1 for mapAccounts
	Username    string   `json:"username"`
	Groups      []string `json:"groups"`
	RenderError string   `json:"renderError,omitempty"`
}

type outcome struct {
	Mapped     bool        `json:"mapped"`
	Candidates []candidate `json:"candidates"`
}

// matching returns every stored row whose ARN equals subject under strings.EqualFold: the
// authenticator returns the first one its (randomly ordered) map iteration meets.
func matching(rows map[string]storedRow, subject string) []storedRow {
	found := []storedRow{}
	for _, row := range rows {
		// SSO rows only match with the SSORoleMatch feature gate, which is off by default.
		if row.arn != "" && strings.EqualFold(row.arn, subject) {
			found = append(found, row)
		}
	}
	return found
}

// decide is ConfigMapMapper.Map followed by the server's mapAccounts fallback and renderTemplates.
func (s *mapStore) decide(p principal) outcome {
	subject := strings.ToLower(p.CanonicalARN)
	result := outcome{Candidates: []candidate{}}
	add := func(via string, row storedRow) {
		result.Candidates = append(result.Candidates, render(via, row.index, row.username, row.groups, p))
	}
	if roles := matching(s.roles, subject); len(roles) > 0 {
		for _, row := range roles {
			add("mapRoles", row)
		}
	} else if users := matching(s.users, subject); len(users) > 0 {
		for _, row := range users {
			add("mapUsers", row)
		}
	} else if s.accounts[p.AccountID] {
		add("mapAccounts", storedRow{index: -1, username: p.CanonicalARN, groups: []string{}})
	}
	sortCandidates(result.Candidates)
	result.Mapped = len(result.Candidates) > 0
	return result
}

func render(via string, index int, username string, groups []string, p principal) candidate {
	out := candidate{Via: via, Row: index, Groups: []string{}}
	rendered, err := renderTemplate(username, p)
	if err != nil {
		out.RenderError = fmt.Sprintf("error rendering username template %q: %s", username, err)
		return out
	}
	out.Username = rendered
	for _, group := range groups {
		renderedGroup, err := renderTemplate(group, p)
		if err != nil {
			out.RenderError = fmt.Sprintf("error rendering group template %q: %s", group, err)
			out.Username, out.Groups = "", []string{}
			return out
		}
		out.Groups = append(out.Groups, renderedGroup)
	}
	return out
}

// renderTemplate follows pkg/server renderTemplate: EC2PrivateDNSName first (only for an
// instance-id session), then AccountID, SessionName (with @ replaced), SessionNameRaw, AccessKeyID.
func renderTemplate(template string, p principal) (string, error) {
	if strings.Contains(template, "{{EC2PrivateDNSName}}") {
		if !instanceID.MatchString(p.SessionName) {
			return "", fmt.Errorf("SessionName did not contain an instance id")
		}
		template = strings.ReplaceAll(template, "{{EC2PrivateDNSName}}", p.PrivateDNSName)
	}
	template = strings.ReplaceAll(template, "{{AccountID}}", p.AccountID)
	template = strings.ReplaceAll(template, "{{SessionName}}", strings.ReplaceAll(p.SessionName, "@", "-"))
	template = strings.ReplaceAll(template, "{{SessionNameRaw}}", p.SessionName)
	template = strings.ReplaceAll(template, "{{AccessKeyID}}", p.AccessKeyID)
	return template, nil
}
