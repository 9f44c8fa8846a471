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

	// For nonces of length nonceLen the CRC is worked out without matrix
	// squaring per request: CRC is affine, so the CRC of the body with a
	// nonce is the CRC with zero bytes in its place (base) xor, for each
	// gap, the nonce's linear part pushed through the bytes that follow it
	// (one precomputed 32x32 bit matrix per gap).
	nonceLen int
	base     uint32
	shifts   [][32]uint32
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
	p.precompute(k.nonceLen)
	return p, nil
}

func (p *Packed) precompute(nonceLen int) {
	p.nonceLen = nonceLen
	zeros := make([]byte, nonceLen)
	after := make([]int64, len(p.lens)) // bytes after gap i-1, i.e. from part i on
	var tail int64
	for i := len(p.lens) - 1; i >= 1; i-- {
		tail += int64(p.lens[i])
		after[i] = tail
		tail += int64(nonceLen)
	}
	p.base = p.crcs[0]
	for i := 1; i < len(p.lens); i++ {
		p.base = crc32Combine(p.base, crc32.ChecksumIEEE(zeros), int64(nonceLen))
		p.base = crc32Combine(p.base, p.crcs[i], int64(p.lens[i]))
		p.shifts = append(p.shifts, zerosOperator(after[i]))
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
	for i := range p.shifts {
		crc ^= gf2Times(&p.shifts[i], lin)
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
		n := uint16(len(nonce))
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
	_, err = io.Copy(w, zr)
	return err
}

// crc32Combine returns the CRC-32 (IEEE) of A followed by B from crc(A),
// crc(B) and len(B), as zlib's crc32_combine: appending len2 zero bytes is
// a linear map over GF(2), applied by repeated squaring of its matrix.
func crc32Combine(crc1, crc2 uint32, len2 int64) uint32 {
	op := zerosOperator(len2)
	return gf2Times(&op, crc1) ^ crc2
}

// zerosOperator is the matrix that pushes a CRC register through n zero
// bytes (the operator crc32Combine applies), built once by the same
// squaring.
func zerosOperator(n int64) [32]uint32 {
	var r, even, odd [32]uint32
	for i := range r {
		r[i] = 1 << i // identity
	}
	if n <= 0 {
		return r
	}
	odd[0] = 0xedb88320
	row := uint32(1)
	for i := 1; i < 32; i++ {
		odd[i] = row
		row <<= 1
	}
	gf2Square(&even, &odd)
	gf2Square(&odd, &even)
	apply := func(m *[32]uint32) { // r = m ∘ r
		for i := range r {
			r[i] = gf2Times(m, r[i])
		}
	}
	for {
		gf2Square(&even, &odd)
		if n&1 != 0 {
			apply(&even)
		}
		n >>= 1
		if n == 0 {
			break
		}
		gf2Square(&odd, &even)
		if n&1 != 0 {
			apply(&odd)
		}
		n >>= 1
		if n == 0 {
			break
		}
	}
	return r
}

func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat *[32]uint32) {
	for n := range 32 {
		square[n] = gf2Times(mat, mat[n])
	}
}
