#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "support/support.h"
#include "vault/vault.h"

namespace evhub::vault {
namespace {

class ObjectTest : public ::testing::Test {
 protected:
  testing::TempDir tmp_;  // first: the store below lives in it
  std::unique_ptr<ObjectStore> store_ = make_directory_store(local_fs(), tmp_ / "objects");
  crypto::SecretKey key_ = crypto::SecretKey::random();

  // Seals `path`, commits it, and returns the sealed object.
  SealedObject put(const std::string& path, std::size_t chunk_size) {
    auto in = local_fs().open_read(path);
    EXPECT_TRUE(in.is_ok());
    auto sealed = seal_object(*store_, **in, "dom", key_, chunk_size);
    EXPECT_TRUE(sealed.is_ok()) << sealed.status().to_string();
    EXPECT_TRUE(sealed->pending->commit().is_ok());
    return std::move(sealed).value();
  }
  std::string object_path(const std::string& id) {
    return tmp_ / ("objects/" + id.substr(0, 2) + "/" + id);
  }
  Result<OpenedObject> check(const std::string& id) {
    return open_object(*store_, id, "dom", key_, nullptr);
  }
};

TEST_F(ObjectTest, HashEqualsSha256sumAndRoundTripsAtChunkBoundaries) {
  for (std::size_t chunk : {std::size_t{64}, std::size_t{4096}, kDefaultChunkSize}) {
    std::vector<std::uint64_t> sizes = {0,
                                        1,
                                        2,
                                        chunk - 1,
                                        chunk,
                                        chunk + 1,
                                        2 * chunk - 1,
                                        2 * chunk,
                                        2 * chunk + 1,
                                        3 * chunk + 17};
    if (chunk == kDefaultChunkSize) sizes.push_back(5 * chunk);  // large path, both threads
    for (std::uint64_t size : sizes) {
      SCOPED_TRACE("chunk " + std::to_string(chunk) + " size " + std::to_string(size));
      std::string in = tmp_ / "in";
      testing::write_random_file(in, size, size * 31 + chunk);
      SealedObject s = put(in, chunk);
      EXPECT_EQ(s.size, size);
      EXPECT_EQ(to_hex(s.sha256), testing::sha256sum_of(in));
      std::string out_path = tmp_ / "out";
      std::filesystem::remove(out_path);
      auto out = local_fs().create_new(out_path);
      auto opened = open_object(*store_, s.id, "dom", key_, out->get());
      ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
      ASSERT_TRUE((*out)->close().is_ok());
      EXPECT_EQ(to_hex(opened->sha256), to_hex(s.sha256));
      EXPECT_EQ(testing::sha256sum_of(out_path), testing::sha256sum_of(in));
      EXPECT_EQ(testing::file_size(object_path(s.id)),
                kHeaderSize + size + ((size / chunk) + 1) * crypto::kChunkTagSize -
                    (size > 0 && size % chunk == 0 ? crypto::kChunkTagSize : 0));
    }
  }
}

TEST_F(ObjectTest, ReaderServesAnyRangeAndAuthenticatesIt) {
  for (std::uint64_t size : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{127},
                             std::uint64_t{128}, std::uint64_t{129}, std::uint64_t{1000}}) {
    SCOPED_TRACE("size " + std::to_string(size));
    std::string in = tmp_ / "in";
    testing::write_random_file(in, size, size + 3);
    const std::string plain = testing::read_text(in);
    SealedObject s = put(in, 128);
    auto reader = ObjectReader::open(*store_, s.id, "dom", key_);
    ASSERT_TRUE(reader.is_ok()) << reader.status().to_string();
    EXPECT_EQ((*reader)->size(), size);
    // Every (offset, length) pair over a grid, across chunk boundaries and past the end.
    for (std::uint64_t off = 0; off <= size + 2; off += 7) {
      for (std::size_t len : {std::size_t{1}, std::size_t{5}, std::size_t{128}, std::size_t{300}}) {
        Bytes buf(len);
        auto n = (*reader)->read(off, buf);
        ASSERT_TRUE(n.is_ok());
        std::size_t expect = off >= size ? 0 : std::min<std::uint64_t>(len, size - off);
        ASSERT_EQ(*n, expect) << off << "+" << len;
        EXPECT_EQ(std::string(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*n)),
                  plain.substr(std::min<std::uint64_t>(off, size), expect));
      }
    }
    // The start of the plaintext, cut at any length, or whole.
    for (std::uint64_t max : {std::uint64_t{0}, std::uint64_t{5}, std::uint64_t{128},
                              std::uint64_t{200}, size, size + 10}) {
      auto prefix = (*reader)->read_prefix(max);
      ASSERT_TRUE(prefix.is_ok());
      EXPECT_EQ(*prefix, plain.substr(0, std::min<std::uint64_t>(max, size))) << max;
    }
  }
  std::string in = tmp_ / "in";
  testing::write_random_file(in, 1000, 1);
  SealedObject s = put(in, 128);
  testing::flip_byte(object_path(s.id), kHeaderSize + 3 * 144 + 10);  // inside chunk 3
  auto reader = ObjectReader::open(*store_, s.id, "dom", key_);
  ASSERT_TRUE(reader.is_ok());
  Bytes buf(100);
  EXPECT_TRUE((*reader)->read(0, buf).is_ok()) << "chunk 0 is intact";
  EXPECT_TRUE((*reader)->read_prefix(3 * 128).is_ok()) << "chunks 0-2 are intact";
  EXPECT_EQ((*reader)->read_prefix(1000).status().code(), Code::kIntegrity);
  auto bad = (*reader)->read(3 * 128 + 5, buf);
  EXPECT_EQ(bad.status().code(), Code::kIntegrity);
  EXPECT_NE(bad.status().message().find("chunk 3"), std::string::npos);
  // Cut at a chunk boundary: the new last chunk was not sealed as the last.
  std::filesystem::resize_file(object_path(s.id), kHeaderSize + 2 * 144);
  auto cut = ObjectReader::open(*store_, s.id, "dom", key_);
  ASSERT_TRUE(cut.is_ok());
  EXPECT_EQ((*cut)->read(200, buf).status().code(), Code::kIntegrity);
}

TEST_F(ObjectTest, ObjectFileHoldsNoPlaintext) {
  std::string in = tmp_ / "in";
  std::string secret = "Witness statement: the officer in cell 4 said nothing else.";
  std::string text;
  for (int i = 0; i < 200; ++i) text += secret;
  testing::write_text_file(in, text);
  SealedObject s = put(in, 4096);
  std::string stored = testing::read_text(object_path(s.id));
  EXPECT_EQ(stored.find("Witness"), std::string::npos);
  EXPECT_EQ(stored.find(to_hex(s.sha256)), std::string::npos);
}

TEST_F(ObjectTest, EveryFlippedByteIsDetected) {
  std::string in = tmp_ / "in";
  testing::write_random_file(in, 300, 5);
  SealedObject s = put(in, 128);  // header + chunks of 128, 128, 44 bytes (+ tags)
  std::string path = object_path(s.id);
  const auto size = static_cast<std::int64_t>(testing::file_size(path));
  for (std::int64_t i = 0; i < size; ++i) {
    testing::flip_byte(path, i);
    auto r = check(s.id);
    EXPECT_EQ(r.status().code(), Code::kIntegrity) << "flip at byte " << i << " not detected";
    testing::flip_byte(path, i);
  }
  ASSERT_TRUE(check(s.id).is_ok());
}

TEST_F(ObjectTest, TruncationAndChunkRemovalAreDetected) {
  std::string in = tmp_ / "in";
  testing::write_random_file(in, 256, 6);  // exactly two chunks of 128
  SealedObject s = put(in, 128);
  std::string path = object_path(s.id);
  // Dropping the final chunk leaves a valid-looking non-final chunk at the end.
  std::filesystem::resize_file(path, kHeaderSize + 128 + crypto::kChunkTagSize);
  auto r = check(s.id);
  EXPECT_EQ(r.status().code(), Code::kIntegrity);
  EXPECT_NE(r.status().message().find("chunk 0"), std::string::npos) << r.status().message();
  std::filesystem::resize_file(path, 5);
  EXPECT_EQ(check(s.id).status().code(), Code::kIntegrity);
}

TEST_F(ObjectTest, WrongDomainKeyOrMovedObjectDoesNotOpen) {
  std::string in = tmp_ / "in";
  testing::write_random_file(in, 1000, 8);
  SealedObject s = put(in, 4096);
  auto other = crypto::SecretKey::random();
  EXPECT_EQ(open_object(*store_, s.id, "dom", other, nullptr).status().code(), Code::kIntegrity);
  EXPECT_EQ(open_object(*store_, s.id, "other-domain", key_, nullptr).status().code(),
            Code::kIntegrity)
      << "the object key is bound to its domain";
  // Copying the file under another id must not pass as that object.
  SealedObject t = put(in, 4096);
  std::filesystem::copy_file(object_path(s.id), object_path(t.id),
                             std::filesystem::copy_options::overwrite_existing);
  EXPECT_EQ(check(t.id).status().code(), Code::kIntegrity);
}

TEST_F(ObjectTest, UncommittedObjectsAreNeverVisible) {
  std::string in = tmp_ / "in";
  testing::write_random_file(in, 5000, 9);
  std::string id;
  {
    auto file = local_fs().open_read(in);
    auto sealed = seal_object(*store_, **file, "dom", key_, 1024);
    ASSERT_TRUE(sealed.is_ok());
    id = sealed->id;
    EXPECT_FALSE(store_->contains(id));
  }  // dropped without commit
  EXPECT_FALSE(store_->contains(id));
  EXPECT_TRUE(store_->list()->empty());
  EXPECT_TRUE(std::filesystem::is_empty(tmp_ / "objects/tmp"));
}

TEST_F(ObjectTest, WriteFailuresAnywhereLeaveNothing) {
  std::string in = tmp_ / "in";
  testing::write_random_file(in, 3 * 1024 * 1024 + 5, 10);  // takes the two-thread path
  for (int nth = 1; nth <= 12; ++nth) {
    testing::FaultyFileSystem faulty(local_fs());
    auto store = make_directory_store(faulty, tmp_ / "objects");
    faulty.fail_at(nth, ENOSPC);
    auto file = local_fs().open_read(in);
    auto sealed = seal_object(*store, **file, "dom", key_, kDefaultChunkSize);
    Status st = sealed.status();
    if (st.is_ok()) st = sealed->pending->commit();
    if (faulty.failed()) {
      EXPECT_EQ(st.code(), Code::kNoSpace) << "failure " << nth << ": " << st.to_string();
      EXPECT_NE(st.message().find("disk full"), std::string::npos);
    } else {
      EXPECT_TRUE(st.is_ok());
    }
    sealed = Status();  // drop any pending object
  }
  // Only the objects whose commit succeeded exist, and each one opens.
  auto ids = store_->list();
  for (const std::string& id : *ids) EXPECT_TRUE(check(id).is_ok()) << id;
  EXPECT_TRUE(std::filesystem::is_empty(tmp_ / "objects/tmp"));
}

TEST_F(ObjectTest, GarbageOfDeadWritersIsCollected) {
  std::filesystem::create_directories(tmp_ / "objects/tmp");
  // pid 2^22+1 is above Linux's pid_max limit, so no live process has it.
  testing::write_text_file(tmp_ / "objects/tmp/4194305-deadbeef", "half an object");
  testing::write_text_file(tmp_ / ("objects/tmp/" + std::to_string(::getpid()) + "-live"), "x");
  ASSERT_TRUE(store_->collect_garbage().is_ok());
  EXPECT_FALSE(std::filesystem::exists(tmp_ / "objects/tmp/4194305-deadbeef"));
  EXPECT_TRUE(
      std::filesystem::exists(tmp_ / ("objects/tmp/" + std::to_string(::getpid()) + "-live")));
}

}  // namespace
}  // namespace evhub::vault
