// Command fold-oracle prints Go's simple case-folding classes, the ones strings.EqualFold (and so
// the authenticator's ARN comparison) uses: for every code point below the limit that folds to
// another, the smallest member of its unicode.SimpleFold orbit. Output: a JSON object
// {"go": version, "limit": N, "classes": [[rune, smallest], ...]}.
// Run: GO111MODULE=off go run . > ../fold-answers.json
package main

import (
	"encoding/json"
	"os"
	"runtime"
	"unicode"
)

// Limit stops before U+1C80: letters added to Unicode after the Go that records this are folded
// by Node's newer ICU and not by that Go, which is a version difference, not a rule.
const limit = 0x1C80

func main() {
	classes := [][2]rune{}
	for r := rune(0); r < limit; r++ {
		smallest := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < smallest {
				smallest = f
			}
		}
		if smallest != r {
			classes = append(classes, [2]rune{r, smallest})
		}
	}
	out := map[string]interface{}{"go": runtime.Version(), "unicode": unicode.Version, "limit": limit, "classes": classes}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(1)
	}
}
