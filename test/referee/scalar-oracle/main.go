// Command scalar-oracle prints how go-yaml v2 resolves plain scalars (as a map value, the way the
// authenticator's YAML reaches sigs.k8s.io/yaml), how fmt's %#v prints the value alone and inside a
// list (as go-yaml's and sigs.k8s.io/yaml's errors print it), and the JSON key sigs.k8s.io/yaml
// makes of each one used as a map key. Input: one JSON string per line; output: one JSON object per line.
// Build and run (Debian's Go packages, GOPATH mode):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run . < scalars.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	yaml "gopkg.in/yaml.v2"
	k8syaml "sigs.k8s.io/yaml"
)

type answer struct {
	Scalar   string      `json:"scalar"`
	GoType   string      `json:"goType"`
	Value    interface{} `json:"value,omitempty"`
	Text     string      `json:"text"`
	Syntax   string      `json:"syntax"`
	Nested   string      `json:"nested"`
	KeyJSON  string      `json:"keyJSON,omitempty"`
	KeyError string      `json:"keyError,omitempty"`
	Error    string      `json:"error,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var scalar string
		if err := json.Unmarshal(in.Bytes(), &scalar); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		a := answer{Scalar: scalar}
		var doc map[string]interface{}
		if err := yaml.Unmarshal([]byte("v: "+scalar+"\n"), &doc); err != nil {
			a.Error = err.Error()
		} else {
			v := doc["v"]
			a.GoType = fmt.Sprintf("%T", v)
			a.Text = fmt.Sprintf("%v", v)
			a.Syntax = fmt.Sprintf("%#v", v)
			a.Nested = fmt.Sprintf("%#v", []interface{}{v})
			if _, err := json.Marshal(v); err == nil {
				a.Value = v
			}
		}
		if j, err := k8syaml.YAMLToJSON([]byte(scalar + ": 1\n")); err != nil {
			a.KeyError = err.Error()
		} else {
			a.KeyJSON = string(j)
		}
		if err := out.Encode(a); err != nil {
			os.Exit(1)
		}
	}
}
