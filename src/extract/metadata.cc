// image_metadata(): EXIF, IPTC and XMP with exiv2, with the GPS position and the time the
// camera took the picture picked out.
#include <exiv2/exiv2.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <mutex>
#include <optional>

#include <fmt/format.h>

#include "core/text.h"
#include "extract/extract.h"

namespace evhub::extract {
namespace {

// Binary values (maker notes, thumbnails, ICC profiles) say nothing to a reviewer as text.
constexpr long kMaxBinaryBytes = 64;
constexpr std::size_t kMaxValueBytes = 4096;

void init_exiv2() {
  static std::once_flag once;
  std::call_once(once, [] {
    // The XMP toolkit must be set up once before threads use it; exiv2's warnings about odd
    // files go nowhere, since the caller gets a Status.
    Exiv2::XmpParser::initialize();
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
  });
}

// Cameras write strings padded with NULs, and some in legacy 8-bit encodings; JSON needs
// UTF-8, so invalid bytes are read as Latin-1 (which keeps every byte, visibly).
std::string clean(std::string value) {
  while (!value.empty() && (value.back() == '\0' || value.back() == ' ')) value.pop_back();
  if (value.size() > kMaxValueBytes) value.resize(kMaxValueBytes);
  if (!is_valid_utf8(value)) {
    std::string latin1;
    for (const char ch : value) {
      const auto c = static_cast<unsigned char>(ch);
      if (c < 0x80) {
        latin1 += static_cast<char>(c);
      } else {
        latin1 += static_cast<char>(0xC0 | (c >> 6));
        latin1 += static_cast<char>(0x80 | (c & 0x3F));
      }
    }
    value = std::move(latin1);
  }
  std::string out;
  out.reserve(value.size());
  for (const char c : value) out += c == '\0' ? ' ' : c;
  return out;
}

template <typename Datum>
std::string value_text(const Datum& datum) {
  const Exiv2::TypeId type = datum.typeId();
  if ((type == Exiv2::undefined || type == Exiv2::unsignedByte || type == Exiv2::signedByte) &&
      datum.size() > kMaxBinaryBytes) {
    return fmt::format("({} bytes)", datum.size());
  }
  return clean(datum.toString());
}

// Degrees from the three rationals (degrees, minutes, seconds) of a GPS coordinate.
std::optional<double> degrees(const Exiv2::ExifData& exif, const char* key, const char* ref_key,
                              const char* negative_ref, double limit) {
  const auto it = exif.findKey(Exiv2::ExifKey(key));
  if (it == exif.end() || it->count() < 1) return std::nullopt;
  double value = 0;
  double unit = 1;
  for (long i = 0; i < std::min<long>(it->count(), 3); ++i) {
    value += static_cast<double>(it->toFloat(i)) / unit;
    unit *= 60;
  }
  const auto ref = exif.findKey(Exiv2::ExifKey(ref_key));
  if (ref != exif.end() && ref->toString().starts_with(negative_ref)) value = -value;
  if (!std::isfinite(value) || std::fabs(value) > limit) return std::nullopt;
  return value;
}

}  // namespace

Result<nlohmann::json> image_metadata(std::span<const std::uint8_t> bytes) {
  init_exiv2();
  if (bytes.empty()) return Status(Code::kInvalidArgument, "the image is empty (0 bytes)");
  if (bytes.size() > static_cast<std::size_t>(LONG_MAX)) {
    return Status(Code::kInvalidArgument, "the image is too large");
  }
  nlohmann::json out = {{"exif", nlohmann::json::object()},
                        {"iptc", nlohmann::json::object()},
                        {"xmp", nlohmann::json::object()}};
  nlohmann::json flags = nlohmann::json::array();
  try {
    auto image = Exiv2::ImageFactory::open(bytes.data(), static_cast<long>(bytes.size()));
    if (image.get() == nullptr) throw Exiv2::Error(Exiv2::kerMemoryContainsUnknownImageType);
    image->readMetadata();
    const Exiv2::ExifData& exif = image->exifData();
    for (const Exiv2::Exifdatum& datum : exif) out["exif"][datum.key()] = value_text(datum);
    for (const Exiv2::Iptcdatum& datum : image->iptcData()) {
      out["iptc"][datum.key()] = value_text(datum);
    }
    for (const Exiv2::Xmpdatum& datum : image->xmpData()) {
      out["xmp"][datum.key()] = value_text(datum);
    }

    const std::optional<double> latitude =
        degrees(exif, "Exif.GPSInfo.GPSLatitude", "Exif.GPSInfo.GPSLatitudeRef", "S", 90);
    const std::optional<double> longitude =
        degrees(exif, "Exif.GPSInfo.GPSLongitude", "Exif.GPSInfo.GPSLongitudeRef", "W", 180);
    if (latitude && longitude) {
      nlohmann::json gps = {{"latitude", *latitude}, {"longitude", *longitude}};
      const auto altitude = exif.findKey(Exiv2::ExifKey("Exif.GPSInfo.GPSAltitude"));
      if (altitude != exif.end() && altitude->count() >= 1) {
        double metres = static_cast<double>(altitude->toFloat(0));
        const auto below = exif.findKey(Exiv2::ExifKey("Exif.GPSInfo.GPSAltitudeRef"));
        if (below != exif.end() && below->count() >= 1 && below->toLong(0) == 1) metres = -metres;
        if (std::isfinite(metres)) gps["altitude"] = metres;
      }
      out["gps"] = gps;
      flags.push_back("gps");
    }

    std::string taken;
    if (const auto it = exif.findKey(Exiv2::ExifKey("Exif.Photo.DateTimeOriginal"));
        it != exif.end()) {
      taken = clean(it->toString());
    } else if (const auto xmp =
                   image->xmpData().findKey(Exiv2::XmpKey("Xmp.exif.DateTimeOriginal"));
               xmp != image->xmpData().end()) {
      taken = clean(xmp->toString());
    }
    if (!taken.empty()) {
      out["date_time_original"] = taken;
      flags.push_back("date_time_original");
    }
  } catch (const std::exception& e) {
    // exiv2 reports unknown formats and damaged files by exception (Exiv2::AnyError).
    return Status(Code::kInvalidArgument,
                  fmt::format("image metadata cannot be read: {}", clean(e.what())));
  }
  out["flags"] = flags;
  return out;
}

}  // namespace evhub::extract
