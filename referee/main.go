// Command referee decodes aws-auth ConfigMap data with the same Go libraries the
// aws-iam-authenticator uses (sigs.k8s.io/yaml, encoding/json, gopkg.in/yaml.v2), keys the rows
// the way its MapStore does, looks principals up and renders their templates. eksauth's tests use
// it as an oracle that shares no code with eksauth's TypeScript model.
//
// Protocol: one JSON request per line on stdin, one JSON answer per line on stdout, in order.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

type request struct {
	// Data is the ConfigMap's data map; a key that is absent is not the same as an empty value.
	Data       map[string]string `json:"data"`
	Principals []principal       `json:"principals"`
}

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	encoder := json.NewEncoder(out)
	encoder.SetEscapeHTML(false)
	for {
		line, readErr := in.ReadBytes('\n')
		if len(line) > 0 {
			if err := encoder.Encode(answer(line)); err != nil {
				fmt.Fprintln(os.Stderr, "referee: cannot encode answer:", err)
				os.Exit(1)
			}
			if err := out.Flush(); err != nil {
				os.Exit(1)
			}
		}
		if readErr != nil {
			return
		}
	}
}

type response struct {
	Error    string         `json:"error,omitempty"`
	Roles    blockReport    `json:"mapRoles"`
	Users    blockReport    `json:"mapUsers"`
	Accounts accountsReport `json:"mapAccounts"`
	// Rows kept in the store after keying (indexes into the block's rows), sorted.
	StoredRoles []int     `json:"storedRoles"`
	StoredUsers []int     `json:"storedUsers"`
	Lookups     []outcome `json:"lookups"`
}

func answer(line []byte) response {
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return response{Error: "bad request: " + err.Error()}
	}
	parsed := parseData(req.Data)
	store := newMapStore(parsed)
	res := response{
		Roles:       parsed.roles,
		Users:       parsed.users,
		Accounts:    parsed.accounts,
		StoredRoles: store.storedRoleRows(),
		StoredUsers: store.storedUserRows(),
		Lookups:     []outcome{},
	}
	for _, p := range req.Principals {
		res.Lookups = append(res.Lookups, store.decide(p))
	}
	return res
}

func sortedInts(values []int) []int {
	sort.Ints(values)
	if values == nil {
		return []int{}
	}
	return values
}

func sortCandidates(candidates []candidate) {
	sort.Slice(candidates, func(i, j int) bool {
		if candidates[i].Via != candidates[j].Via {
			return candidates[i].Via < candidates[j].Via
		}
		return candidates[i].Row < candidates[j].Row
	})
}
