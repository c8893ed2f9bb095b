package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"time"
)

// http2Limits bound what one HTTP/2 client can ask of the sandbox: few
// concurrent streams and small frames. Go's server also counts streams a
// client resets before they finish (the "rapid reset" attack) against the
// concurrency limit, so a flood of HEADERS+RST_STREAM cannot pile up work.
var http2Limits = &http.HTTP2Config{
	MaxConcurrentStreams:          100,
	MaxReadFrameSize:              1 << 16,
	MaxReceiveBufferPerConnection: 1 << 20,
	MaxReceiveBufferPerStream:     1 << 17,
}

// serverProtocols is HTTP/1.1 plus HTTP/2: over TLS (negotiated by ALPN)
// with TLS, without it as h2c with prior knowledge, which is how the Node
// SDK's gRPC transport talks to an http:// URL.
func serverProtocols(withTLS bool) *http.Protocols {
	p := new(http.Protocols)
	p.SetHTTP1(true)
	if withTLS {
		p.SetHTTP2(true)
	} else {
		p.SetUnencryptedHTTP2(true)
	}
	return p
}

// sandboxCA is a certificate authority made when a TLS sandbox starts, and
// the loopback certificate it signed. The keys live in memory only; the
// CA's certificate is public and is what clients are told to trust.
type sandboxCA struct {
	certPEM []byte
	leaf    tls.Certificate
}

func newSandboxCA(now time.Time) (*sandboxCA, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTemplate := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "authscope sandbox CA", Organization: []string{"authscope"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leafTemplate := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTemplate, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	return &sandboxCA{
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		leaf:    tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: leafKey},
	}, nil
}

func randomSerial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n
}

func (ca *sandboxCA) serverConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{ca.leaf}, MinVersion: tls.VersionTLS12}
}

// CACertPEM is the PEM certificate of the CA that signed the sandbox's
// TLS certificate, for clients to trust; nil when the sandbox is not TLS.
func (s *Server) CACertPEM() []byte {
	if s.ca == nil {
		return nil
	}
	return s.ca.certPEM
}
