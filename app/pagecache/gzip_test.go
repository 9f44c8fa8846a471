package pagecache

import (
	"bytes"
	"compress/gzip"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
)

func TestCRC32Combine(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 31, 32, 33, 1000, 65536, 100003} {
		a, b := make([]byte, r.IntN(500)), make([]byte, n)
		for i := range a {
			a[i] = byte(r.Uint32())
		}
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		want := crc32.ChecksumIEEE(append(bytes.Clone(a), b...))
		if got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), int64(n)); got != want {
			t.Fatalf("len %d: combine %08x, want %08x", n, got, want)
		}
	}
}

func TestPackedGzipRoundTrips(t *testing.T) {
	k := NewPacker(5, 32)
	page := strings.Repeat("<p>Hello forum, a post with words and words.</p>\n", 400)
	cases := [][][]byte{
		{[]byte(page)}, // JSON: no nonce at all
		{[]byte(`<style nonce="`), []byte(`">x</style>` + page + `<script nonce="`), []byte(`"></script>`)},
		{{}, []byte(page), {}}, // placeholders at the very start and end
		{{}},                   // empty body
	}
	for i, parts := range cases {
		p, err := k.Pack(parts)
		if err != nil {
			t.Fatal(err)
		}
		for _, nonce := range []string{"0123456789abcdef0123456789abcdef", "ffffffffffffffffffffffffffffffff", "short", ""} {
			want := bytes.Join(parts, []byte(nonce))
			gz := p.AppendGzip(nil, []byte(nonce))
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			got, err := io.ReadAll(zr) // checks CRC and length at the end
			if err != nil {
				t.Fatalf("case %d: inflate: %v", i, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("case %d: body differs", i)
			}
			if p.PlainLen(len(nonce)) != len(want) {
				t.Fatalf("case %d: PlainLen %d, want %d", i, p.PlainLen(len(nonce)), len(want))
			}
			var plain bytes.Buffer
			if err := p.WritePlain(&plain, []byte(nonce)); err != nil || !bytes.Equal(plain.Bytes(), want) {
				t.Fatalf("case %d: WritePlain: %v", i, err)
			}
			// zlib (what browsers use) must accept it too, not only Go.
			if gzipBin, err := exec.LookPath("gzip"); err == nil {
				cmd := exec.Command(gzipBin, "-dc")
				cmd.Stdin = bytes.NewReader(gz)
				out, err := cmd.Output()
				if err != nil || !bytes.Equal(out, want) {
					t.Fatalf("case %d: gzip -dc: %v", i, err)
				}
			}
		}
		if i == 0 && p.Size()*3 > len(page) {
			t.Fatalf("compressed %d of %d bytes; expected at least 3x on repetitive HTML", p.Size(), len(page))
		}
	}
}

// BenchmarkAppendGzip: assembling one cached thread page (~34 KB plain,
// two nonce gaps) for a hit.
func BenchmarkAppendGzip(b *testing.B) {
	page := []byte(strings.Repeat("<p>Hello forum, a post with words and words.</p>\n", 700))
	parts := [][]byte{page[:500], page[500:33000], page[33000:]}
	p, err := NewPacker(1, 32).Pack(parts)
	if err != nil {
		b.Fatal(err)
	}
	nonce := []byte("0123456789abcdef0123456789abcdef")
	buf := make([]byte, 0, 64<<10)
	b.ReportAllocs()
	for b.Loop() {
		buf = p.AppendGzip(buf[:0], nonce)
	}
}
