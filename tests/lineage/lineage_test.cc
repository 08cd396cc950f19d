#include "lineage/lineage.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bulwark::lineage {
namespace {

Digest Layer(const std::string& name) { return Sha256Of("layer " + name); }

std::vector<Digest> Chain(const std::vector<std::string>& layers) {
  std::vector<Digest> chain;
  for (const std::string& layer : layers) chain.push_back(Layer(layer));
  return chain;
}

RegisteredImage Registered(const std::string& id_seed, std::vector<std::string> names,
                           const std::vector<std::string>& layers) {
  RegisteredImage image;
  image.image_id = Sha256Of("config " + id_seed);
  image.names = std::move(names);
  image.chain = Chain(layers);
  image.registered_at = "2024-05-01T10:00:00Z";
  return image;
}

std::vector<std::string> FirstNames(const Lineage& lineage) {
  std::vector<std::string> names;
  for (const Ancestor& ancestor : lineage.ancestors) {
    names.push_back(ancestor.image.names.empty() ? "<unnamed>" : ancestor.image.names.front());
  }
  return names;
}

TEST(FindAncestors, FindsRegisteredImagesWhoseChainIsAPrefix) {
  std::vector<RegisteredImage> registered = {
      Registered("debian", {"docker.io/library/debian:12"}, {"a"}),
      Registered("runtime", {"registry.example.com/runtime:1"}, {"a", "b"}),
  };

  Lineage lineage = FindAncestors(Chain({"a", "b", "c"}), registered);

  ASSERT_EQ(lineage.ancestors.size(), 2u);
  EXPECT_EQ(lineage.ancestors[0].image.names.front(), "registry.example.com/runtime:1");
  EXPECT_EQ(lineage.ancestors[0].prefix_length, 2u);
  EXPECT_FALSE(lineage.ancestors[0].is_self);
  EXPECT_EQ(lineage.ancestors[1].image.names.front(), "docker.io/library/debian:12");
  EXPECT_EQ(lineage.ancestors[1].prefix_length, 1u);
  EXPECT_EQ(lineage.chain, Chain({"a", "b", "c"}));
}

TEST(FindAncestors, IgnoresImagesThatDivergeOrAreLonger) {
  std::vector<RegisteredImage> registered = {
      Registered("diverges", {"example.com/other:1"}, {"a", "x"}),
      Registered("longer", {"example.com/child:1"}, {"a", "b", "c"}),
      Registered("first-differs", {"example.com/unrelated:1"}, {"z"}),
  };

  Lineage lineage = FindAncestors(Chain({"a", "b"}), registered);

  EXPECT_TRUE(lineage.ancestors.empty());
  EXPECT_EQ(lineage.NearestBase(), nullptr);
}

TEST(FindAncestors, MarksTheImageItselfAsSelf) {
  std::vector<RegisteredImage> registered = {
      Registered("self", {"example.com/app:1"}, {"a", "b"}),
      Registered("base", {"example.com/base:1"}, {"a"}),
  };

  Lineage lineage = FindAncestors(Chain({"a", "b"}), registered);

  ASSERT_EQ(lineage.ancestors.size(), 2u);
  EXPECT_TRUE(lineage.ancestors[0].is_self);
  EXPECT_EQ(lineage.ancestors[0].prefix_length, 2u);
  EXPECT_FALSE(lineage.ancestors[1].is_self);
}

TEST(FindAncestors, EmptyChainHasNoAncestors) {
  std::vector<RegisteredImage> registered = {Registered("base", {"example.com/base:1"}, {"a"})};

  Lineage lineage = FindAncestors({}, registered);

  EXPECT_TRUE(lineage.ancestors.empty());
}

TEST(FindAncestors, RegisteredImageWithoutLayersIsNeverAnAncestor) {
  std::vector<RegisteredImage> registered = {Registered("scratch", {"example.com/scratch:1"}, {})};

  Lineage lineage = FindAncestors(Chain({"a"}), registered);

  EXPECT_TRUE(lineage.ancestors.empty());
}

TEST(FindAncestors, OrdersEqualPrefixesByFirstNameThenImageId) {
  RegisteredImage zulu = Registered("zulu", {"example.com/zulu:1"}, {"a"});
  RegisteredImage alpha = Registered("alpha", {"example.com/alpha:1", "example.com/zz:1"}, {"a"});
  RegisteredImage same_name_1 = Registered("same-1", {"example.com/same:1"}, {"a"});
  RegisteredImage same_name_2 = Registered("same-2", {"example.com/same:1"}, {"a"});
  RegisteredImage unnamed = Registered("unnamed", {}, {"a"});
  std::vector<RegisteredImage> registered = {unnamed, zulu, same_name_2, alpha, same_name_1};
  bool id_1_first = same_name_1.image_id < same_name_2.image_id;

  Lineage lineage = FindAncestors(Chain({"a", "b"}), registered);

  ASSERT_EQ(lineage.ancestors.size(), 5u);
  EXPECT_EQ(FirstNames(lineage),
            (std::vector<std::string>{"example.com/alpha:1", "example.com/same:1",
                                      "example.com/same:1", "example.com/zulu:1", "<unnamed>"}));
  EXPECT_EQ(lineage.ancestors[1].image.image_id,
            id_1_first ? same_name_1.image_id : same_name_2.image_id);
  EXPECT_EQ(lineage.ancestors[2].image.image_id,
            id_1_first ? same_name_2.image_id : same_name_1.image_id);
}

TEST(FindAncestors, OrderDoesNotDependOnRegistrationOrder) {
  std::vector<RegisteredImage> registered = {
      Registered("b2", {"example.com/b:2"}, {"a", "b"}),
      Registered("a1", {"example.com/a:1"}, {"a"}),
      Registered("b1", {"example.com/b:1"}, {"a", "b"}),
      Registered("self", {"example.com/app:1"}, {"a", "b", "c"}),
  };
  std::vector<RegisteredImage> reversed(registered.rbegin(), registered.rend());

  Lineage forward = FindAncestors(Chain({"a", "b", "c"}), registered);
  Lineage backward = FindAncestors(Chain({"a", "b", "c"}), reversed);

  EXPECT_EQ(FirstNames(forward), FirstNames(backward));
  EXPECT_EQ(FirstNames(forward), (std::vector<std::string>{"example.com/app:1", "example.com/b:1",
                                                           "example.com/b:2", "example.com/a:1"}));
}

TEST(LineageNearestBase, SkipsTheImageItself) {
  std::vector<RegisteredImage> registered = {
      Registered("self-a", {"example.com/app:1"}, {"a", "b"}),
      Registered("self-b", {"example.com/app:latest"}, {"a", "b"}),
      Registered("base", {"example.com/base:1"}, {"a"}),
  };

  Lineage lineage = FindAncestors(Chain({"a", "b"}), registered);
  const Ancestor* nearest = lineage.NearestBase();

  ASSERT_NE(nearest, nullptr);
  EXPECT_EQ(nearest->image.names.front(), "example.com/base:1");
  EXPECT_EQ(nearest->prefix_length, 1u);
}

TEST(LineageNearestBase, IsNullWhenOnlyTheImageItselfIsRegistered) {
  std::vector<RegisteredImage> registered = {Registered("self", {"example.com/app:1"}, {"a"})};

  Lineage lineage = FindAncestors(Chain({"a"}), registered);

  ASSERT_EQ(lineage.ancestors.size(), 1u);
  EXPECT_EQ(lineage.NearestBase(), nullptr);
}

TEST(DescribeAncestor, NamesImageIdAndLayersOwned) {
  Ancestor named{.image = Registered("named", {"example.com/a:1", "example.com/a:latest"}, {"a"}),
                 .prefix_length = 1};
  Ancestor unnamed{.image = Registered("unnamed", {}, {"a", "b"}), .prefix_length = 2};

  std::string named_text = DescribeAncestor(named, 4);
  std::string unnamed_text = DescribeAncestor(unnamed, 4);

  EXPECT_EQ(named_text, "example.com/a:1, example.com/a:latest (image " +
                            named.image.image_id.Short() + ", owns 1 of 4 layers)");
  EXPECT_EQ(unnamed_text, "(registered without a name) (image " + unnamed.image.image_id.Short() +
                              ", owns 2 of 4 layers)");
}

TEST(DescribeMissingBase, SaysNoRegisteredImageIsAPrefix) {
  std::vector<RegisteredImage> registered = {Registered("other", {"example.com/other:1"}, {"z"})};
  Lineage lineage = FindAncestors(Chain({"a", "b"}), registered);

  std::string text = DescribeMissingBase(lineage);

  EXPECT_EQ(text, "no registered image is a prefix of this image's 2 layers");
}

TEST(DescribeMissingBase, NamesTheImageItselfWhenItIsRegistered) {
  RegisteredImage self =
      Registered("self", {"example.com/app:1", "example.com/app:latest"}, {"a", "b", "c"});
  Lineage lineage = FindAncestors(Chain({"a", "b", "c"}), {self});

  std::string text = DescribeMissingBase(lineage);

  EXPECT_EQ(text,
            "the image itself is registered as example.com/app:1, example.com/app:latest "
            "(image " +
                self.image_id.Short() + "); no other registered image is a prefix of its 3 layers");
}

TEST(DescribeMissingBase, SaysWhenTheImageItselfIsRegisteredWithoutAName) {
  RegisteredImage self = Registered("self", {}, {"a"});
  Lineage lineage = FindAncestors(Chain({"a"}), {self});

  std::string text = DescribeMissingBase(lineage);

  EXPECT_EQ(text, "the image itself is registered without a name (image " + self.image_id.Short() +
                      "); no other registered image is a prefix of its 1 layer");
}

}  // namespace
}  // namespace bulwark::lineage
