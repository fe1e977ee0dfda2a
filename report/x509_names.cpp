#include "report/x509_names.h"

#include <memory>

#include <openssl/bio.h>
#include <openssl/x509.h>

#include "report/shown_text.h"

namespace pktmask::report {

namespace {

struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

// RFC 2253 escapes control and non-ASCII characters itself; shown_text
// still guards against whatever else a crafted name might print.
std::string rfc2253_text(const X509_NAME* name) {
  const std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return "";
  char* text = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &text);
  if (length <= 0 || text == nullptr) return "";
  return shown_text({reinterpret_cast<const uint8_t*>(text), static_cast<size_t>(length)});
}

}  // namespace

std::optional<CertificateNames> certificate_names(std::span<const uint8_t> der) {
  const unsigned char* next = der.data();
  const std::unique_ptr<X509, X509Free> certificate(d2i_X509(nullptr, &next, static_cast<long>(der.size())));
  if (!certificate || next != der.data() + der.size()) return std::nullopt;
  return CertificateNames{rfc2253_text(X509_get_subject_name(certificate.get())),
                          rfc2253_text(X509_get_issuer_name(certificate.get()))};
}

}  // namespace pktmask::report
