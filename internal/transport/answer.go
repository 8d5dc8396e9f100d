package transport

// AnswerField is one string attribute of an API answer on its way into the client's type: its
// key in the answer, the decoded value (nil when the key was missing) and where it goes.
type AnswerField struct {
	Key      string
	From, To *string
	// MayBeEmpty: the key must be there, but its value may be "".
	MayBeEmpty bool
	// Optional: the answer may leave the key out (the value then stays "").
	Optional bool
}

// CopyAnswerFields copies each field's value and returns, in order, the keys of those missing:
// left out (unless Optional) or empty (unless MayBeEmpty or Optional). The clients' conversions
// use it, so that one rule says when an answer is complete.
func CopyAnswerFields(fields ...AnswerField) (missing []string) {
	for _, f := range fields {
		if f.From != nil {
			*f.To = *f.From
		}
		switch {
		case f.Optional:
		case f.From == nil, *f.From == "" && !f.MayBeEmpty:
			missing = append(missing, f.Key)
		}
	}
	return missing
}
