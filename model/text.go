package model

import "strings"

// Segment is one run of text that is either safe to show or a secret.
// Secrets are kept whole so that every renderer can decide how to show
// them; nothing in model ever prints.
type Segment struct {
	Text   string
	Secret bool
}

// Text is displayable text with its secret-bearing parts marked.
type Text []Segment

// Plain wraps text that holds no secret.
func Plain(s string) Text { return Text{{Text: s}} }

// SecretText wraps text that is a secret as a whole.
func SecretText(s string) Text { return Text{{Text: s, Secret: true}} }

// Concat joins texts, keeping their markings.
func Concat(parts ...Text) Text {
	var out Text
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Reveal returns the text with every secret in clear.
func (t Text) Reveal() string {
	var b strings.Builder
	for _, s := range t {
		b.WriteString(s.Text)
	}
	return b.String()
}

// Masked returns the text with every secret replaced by Mask.
func (t Text) Masked() string {
	var b strings.Builder
	for _, s := range t {
		if s.Secret {
			b.WriteString(Mask(s.Text))
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// String reveals or masks; the one switch every renderer needs.
func (t Text) String(reveal bool) string {
	if reveal {
		return t.Reveal()
	}
	return t.Masked()
}

// Secrets lists the secret segments, for leak tests and for scrubbing.
func (t Text) Secrets() []string {
	var out []string
	for _, s := range t {
		if s.Secret && s.Text != "" {
			out = append(out, s.Text)
		}
	}
	return out
}

// HasSecret reports whether any segment is secret.
func (t Text) HasSecret() bool { return len(t.Secrets()) > 0 }

// keyPrefixes name the kind of an API key or client secret and are
// printed in dashboards and docs anyway; showing them helps a support
// engineer see "a Scaling live key" without seeing the key.
var keyPrefixes = []string{"scl_live_", "scl_test_", "live_", "test_", "skc_", "sk_live_", "sk_test_"}

// publicPrefixes are what Mask keeps: a key's prefix, or the scheme word
// of a whole Authorization value.
var publicPrefixes = append(keyPrefixes[:len(keyPrefixes):len(keyPrefixes)], "Bearer ", "Basic ")

// HasKeyPrefix reports whether s starts with a known public key prefix
// (a key Mask would show the kind of), as opposed to an opaque secret.
func HasKeyPrefix(s string) bool {
	for _, p := range keyPrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// MaskRune is what a masked secret is drawn with.
const MaskRune = "•"

// Mask hides a secret: a known public prefix stays, then a fixed run of
// mask runes, then the last four characters when the secret is long enough
// that four characters give nothing useful away (20 or more).
func Mask(secret string) string {
	if secret == "" {
		return ""
	}
	prefix := ""
	for _, p := range publicPrefixes {
		if strings.HasPrefix(secret, p) && len(secret) > len(p) {
			prefix = p
			break
		}
	}
	rest := secret[len(prefix):]
	tail := ""
	if len(rest) >= 20 {
		tail = visibleSpace.Replace(rest[len(rest)-4:])
	}
	return prefix + strings.Repeat(MaskRune, 8) + tail
}

// visibleSpace shows whitespace in a mask's tail: a key pasted with a
// trailing CR or newline must not look like one cut short ("…ef" for
// "…cdef\r\r"), which is what the trim step is there to show.
var visibleSpace = strings.NewReplacer("\r", "␍", "\n", "␊", "\t", "⇥", " ", "␠")
