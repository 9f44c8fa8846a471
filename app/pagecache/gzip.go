package pagecache

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"sync"
)

// Packed is a response body stored compressed, split where the per-response
// nonce goes. Each part is an independent run of deflate blocks ending on a
// byte boundary (a sync flush; the last part ends with the final block), so
// a gzip answer is assembled per request by writing the parts with the
// nonce between them as a small stored block: no recompression, and the
// compressed page costs a quarter of the memory of the plain one.
type Packed struct {
	segs [][]byte // compressed parts
	crcs []uint32 // CRC-32 of each plain part
	lens []int    // length of each plain part
	size int      // compressed bytes held

	// For nonces of length nonceLen the CRC is worked out without reading
	// the body: CRC is affine, so the CRC of the body with a nonce is the
	// CRC with zero bytes in its place (base) xor, for each gap, the
	// nonce's linear part pushed through the bytes that follow the gap
	// (after[i]).
	nonceLen int
	base     uint32
	after    []int64
}

// Size is the memory the compressed parts take.
func (p *Packed) Size() int { return p.size }

// PlainLen is the length of the body with a nonce of nonceLen bytes.
func (p *Packed) PlainLen(nonceLen int) int {
	n := (len(p.lens) - 1) * nonceLen
	for _, l := range p.lens {
		n += l
	}
	return n
}

// Packer compresses bodies; it pools the deflate state (about 1 MB each).
type Packer struct {
	level    int
	nonceLen int
	pool     sync.Pool
}

// NewPacker compresses at a deflate level (1 fastest … 9 smallest) for
// nonces of nonceLen bytes (others work too, at a higher CRC cost).
func NewPacker(level, nonceLen int) *Packer {
	return &Packer{level: level, nonceLen: nonceLen}
}

// Pack compresses parts (the body split at the nonce placeholder).
func (k *Packer) Pack(parts [][]byte) (*Packed, error) {
	if len(parts) == 0 {
		return nil, errors.New("pagecache: nothing to pack")
	}
	fw, _ := k.pool.Get().(*flate.Writer)
	if fw == nil {
		var err error
		if fw, err = flate.NewWriter(io.Discard, k.level); err != nil {
			return nil, err
		}
	}
	defer k.pool.Put(fw)
	p := &Packed{}
	for i, part := range parts {
		var buf bytes.Buffer
		fw.Reset(&buf)
		if _, err := fw.Write(part); err != nil {
			return nil, err
		}
		var err error
		if i == len(parts)-1 {
			err = fw.Close() // the final block
		} else {
			err = fw.Flush() // byte-aligned, not final: the stream goes on
		}
		if err != nil {
			return nil, err
		}
		seg := bytes.Clone(buf.Bytes())
		p.segs = append(p.segs, seg)
		p.crcs = append(p.crcs, crc32.ChecksumIEEE(part))
		p.lens = append(p.lens, len(part))
		p.size += len(seg)
	}
	p.precompute(parts, k.nonceLen)
	return p, nil
}

func (p *Packed) precompute(parts [][]byte, nonceLen int) {
	p.nonceLen = nonceLen
	zeros := make([]byte, nonceLen)
	p.base = crc32.ChecksumIEEE(parts[0])
	for _, part := range parts[1:] {
		p.base = crc32.Update(p.base, crc32.IEEETable, zeros)
		p.base = crc32.Update(p.base, crc32.IEEETable, part)
	}
	p.after = make([]int64, len(parts)-1)
	var tail int64
	for i := len(parts) - 1; i >= 1; i-- {
		tail += int64(len(parts[i]))
		p.after[i-1] = tail
		tail += int64(nonceLen)
	}
}

// bodyCRC is the CRC-32 of the body with nonce in every gap.
func (p *Packed) bodyCRC(nonce []byte) uint32 {
	if len(nonce) != p.nonceLen {
		crc := p.crcs[0]
		ncrc := crc32.ChecksumIEEE(nonce)
		for i := 1; i < len(p.segs); i++ {
			crc = crc32Combine(crc, ncrc, int64(len(nonce)))
			crc = crc32Combine(crc, p.crcs[i], int64(p.lens[i]))
		}
		return crc
	}
	// The linear part of the nonce: its CRC minus that of as many zeros.
	lin := crc32.ChecksumIEEE(nonce) ^ crc32.ChecksumIEEE(make([]byte, len(nonce)))
	crc := p.base
	for _, n := range p.after {
		crc ^= throughZeros(lin, n)
	}
	return crc
}

// gzipHeader: magic, deflate, no flags, no mtime, no extra flags, OS unknown.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}

// AppendGzip appends a complete gzip member holding the body with nonce in
// every gap to dst.
func (p *Packed) AppendGzip(dst []byte, nonce []byte) []byte {
	if len(nonce) > 0xffff {
		panic("pagecache: nonce too long for a stored block")
	}
	dst = append(dst, gzipHeader...)
	total := p.lens[0]
	dst = append(dst, p.segs[0]...)
	for i := 1; i < len(p.segs); i++ {
		// A stored, non-final block: after a sync flush the stream is
		// byte-aligned, so its 3 header bits pad to one zero byte.
		n := uint16(len(nonce)) //nolint:gosec // checked above: at most 0xffff
		dst = append(dst, 0, byte(n), byte(n>>8), byte(^n), byte(^n>>8))
		dst = append(dst, nonce...)
		dst = append(dst, p.segs[i]...)
		total += len(nonce) + p.lens[i]
	}
	dst = binary.LittleEndian.AppendUint32(dst, p.bodyCRC(nonce))
	return binary.LittleEndian.AppendUint32(dst, uint32(total)) //nolint:gosec // ISIZE is the length modulo 2^32 by definition
}

// WritePlain writes the uncompressed body (for clients that do not accept
// gzip) by inflating the assembled member.
func (p *Packed) WritePlain(w io.Writer, nonce []byte) error {
	zr, err := gzip.NewReader(bytes.NewReader(p.AppendGzip(nil, nonce)))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, zr) //nolint:gosec // our own compressed page, not client input
	return err
}

// crc32Combine returns the CRC-32 (IEEE) of A followed by B from crc(A),
// crc(B) and len(B): crc(A‖B) = Z(crc(A)) xor crc(B), where Z pushes a
// register through len(B) zero bytes (CRC is linear over GF(2)).
func crc32Combine(crc1, crc2 uint32, len2 int64) uint32 {
	return throughZeros(crc1, len2) ^ crc2
}

// throughZeros runs the bare CRC register (no pre- or post-inversion) from
// state x over n zero bytes. crc32.Update inverts on the way in and out,
// so invert around it. Hardware CRC makes this a few microseconds for a
// page, cheaper than the matrix squaring zlib uses.
func throughZeros(x uint32, n int64) uint32 {
	var zeros [4096]byte
	c := ^x
	for n > 0 {
		k := min(n, int64(len(zeros)))
		c = crc32.Update(c, crc32.IEEETable, zeros[:k])
		n -= k
	}
	return ^c
}
