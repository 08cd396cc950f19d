#include "image/source.h"

#include <filesystem>
#include <utility>

#include "image/docker_archive.h"
#include "image/file_tree.h"
#include "image/oci_layout.h"
#include "image/reference.h"
#include "image/registry_source.h"
#include "image/source_spec.h"

namespace bulwark::image {
namespace internal {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDockerArchivePrefix = "docker-archive:";
constexpr std::string_view kOciArchivePrefix = "oci-archive:";
constexpr std::string_view kOciPrefix = "oci:";
constexpr std::string_view kRegistryPrefix = "docker://";
constexpr char kSyntaxHint[] =
    " (sources are docker-archive:PATH[:REF], oci:DIR[:TAG|@DIGEST], oci-archive:PATH[:TAG], "
    "docker://REF, or a path)";

bool IsDirectory(const std::string& path) {
  std::error_code error;
  return fs::is_directory(path, error);
}

bool IsFile(const std::string& path) {
  std::error_code error;
  return fs::exists(path, error) && !fs::is_directory(path, error);
}

// Splits "PATH[:REF]" at the first point where PATH exists; see ParseSourceSpec.
Result<std::pair<std::string, std::string>> SplitPathAndRef(std::string_view rest,
                                                            bool (*exists)(const std::string&),
                                                            std::string_view transport) {
  std::string whole(rest);
  if (exists(whole)) return std::make_pair(whole, std::string());
  for (size_t colon = rest.find(':'); colon != std::string_view::npos;
       colon = rest.find(':', colon + 1)) {
    std::string path(rest.substr(0, colon));
    if (!path.empty() && exists(path)) {
      return std::make_pair(path, std::string(rest.substr(colon + 1)));
    }
  }
  std::string shown(rest.substr(0, rest.find(':')));
  std::string message = std::string(transport) + whole + ": no " +
                        (exists == IsDirectory ? "directory" : "file") + " \"" + shown +
                        "\" (nor a longer path ending before a ':')";
  return Error(ErrorCode::kNotFound, message + kSyntaxHint);
}

Result<SourceSpec> ParseOciSpec(std::string_view rest) {
  SourceSpec spec;
  spec.transport = Transport::kOci;
  size_t at = rest.rfind('@');
  if (!IsDirectory(std::string(rest)) && at != std::string_view::npos) {
    auto digest = Digest::Parse(rest.substr(at + 1));
    std::string dir(rest.substr(0, at));
    if (digest.ok() && IsDirectory(dir)) {
      spec.path = dir;
      spec.digest = *digest;
      return spec;
    }
  }
  BULWARK_ASSIGN_OR_RETURN(auto split, SplitPathAndRef(rest, IsDirectory, kOciPrefix));
  spec.path = std::move(split.first);
  spec.ref = std::move(split.second);
  return spec;
}

// Transports of the containers-transports syntax that Bulwark knows but does
// not read yet.
bool IsKnownOtherTransport(std::string_view spec) {
  static constexpr std::string_view kOthers[] = {
      "docker-daemon:", "containers-storage:", "dir:", "ostree:", "sif:"};
  for (std::string_view other : kOthers) {
    if (spec.starts_with(other)) return true;
  }
  return false;
}

// The text before the first ':' when it reads as a transport name ("xyz" in
// "xyz://a" or "foo:bar"): a lower-case letter, then letters, digits or '-'.
// A path such as "./a.tar:app" or "/x/a.tar:app" never does.
std::optional<std::string_view> TransportName(std::string_view spec) {
  size_t colon = spec.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view name = spec.substr(0, colon);
  if (name.front() < 'a' || name.front() > 'z') return std::nullopt;
  for (char c : name) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!allowed) return std::nullopt;
  }
  return name;
}

// Why a SOURCE that names no existing path cannot be opened.
Error ReportMissingSource(std::string_view spec) {
  std::string text(spec);
  if (IsKnownOtherTransport(spec)) {
    return Error(ErrorCode::kUnsupported, text + ": transport not supported yet; use " +
                                              "docker-archive:PATH, oci:DIR, oci-archive:PATH, " +
                                              "docker://REF or a path");
  }
  std::optional<std::string_view> transport = TransportName(spec);
  std::error_code error;
  if (transport && !fs::exists(std::string(*transport), error)) {
    return Error(ErrorCode::kInvalidArgument,
                 text + ": unknown transport \"" + std::string(*transport) + "\"" + kSyntaxHint);
  }
  bool looks_like_syntax = spec.find_first_of(":@") != std::string_view::npos;
  return Error(ErrorCode::kNotFound, text + ": no such file or directory" +
                                         (looks_like_syntax ? std::string(kSyntaxHint) : ""));
}

// An ImageSource over a FileTree and a function that resolves an image in it.
class TreeSource : public ImageSource {
 public:
  using Resolver =
      std::function<Result<ResolvedImage>(FileTree& tree, const ResolveOptions& options)>;

  TreeSource(std::string spec, std::unique_ptr<FileTree> tree, Resolver resolver)
      : spec_(std::move(spec)), tree_(std::move(tree)), resolver_(std::move(resolver)) {}

  Result<ResolvedImage> Resolve(const ResolveOptions& options) override {
    BULWARK_ASSIGN_OR_RETURN(ResolvedImage image, resolver_(*tree_, options));
    image.source = spec_;
    locators_.clear();
    for (const LayerLocation& layer : image.layers) locators_.push_back(layer.locator);
    resolved_ = true;
    return image;
  }

  Status StreamLayers(const std::vector<size_t>& indices, const LayerVisitor& visit) override {
    if (!resolved_) {
      return Error(ErrorCode::kInvalidArgument, spec_ + ": layers streamed before Resolve");
    }
    std::vector<std::string> names;
    for (size_t index : indices) {
      if (index >= locators_.size()) {
        return Error(ErrorCode::kInvalidArgument, spec_ + ": no layer " + std::to_string(index) +
                                                      "; the image has " +
                                                      std::to_string(locators_.size()));
      }
      names.push_back(locators_[index]);
    }
    return tree_->StreamFiles(names, [&](size_t position, ByteStream& blob) -> Status {
      return visit(indices[position], blob);
    });
  }

  // The trees only read their index once built, and every stream has its own
  // file descriptor.
  bool ConcurrentStreams() const override { return true; }

 private:
  std::string spec_;
  std::unique_ptr<FileTree> tree_;
  Resolver resolver_;
  std::vector<std::string> locators_;
  bool resolved_ = false;
};

std::unique_ptr<ImageSource> MakeOciSource(std::string spec, std::unique_ptr<FileTree> tree,
                                           OciSelector selector) {
  return std::make_unique<TreeSource>(std::move(spec), std::move(tree),
                                      [selector](FileTree& tree, const ResolveOptions& options) {
                                        return ResolveOciLayout(tree, selector, options);
                                      });
}

std::unique_ptr<ImageSource> MakeDockerArchiveSource(std::string spec,
                                                     std::unique_ptr<TarArchive> archive,
                                                     std::string ref) {
  TarArchive* raw = archive.get();
  return std::make_unique<TreeSource>(std::move(spec), std::move(archive),
                                      [raw, ref](FileTree&, const ResolveOptions& options) {
                                        return ResolveDockerArchive(*raw, ref, options);
                                      });
}

Result<std::unique_ptr<ImageSource>> OpenOciDir(std::string spec, const SourceSpec& parsed) {
  std::error_code error;
  if (!fs::is_regular_file(parsed.path + "/oci-layout", error)) {
    return Error(ErrorCode::kCorruptInput,
                 parsed.path + ": a directory but not an OCI image layout (no oci-layout file)");
  }
  OciSelector selector{parsed.ref, parsed.digest};
  return MakeOciSource(std::move(spec), std::make_unique<DirTree>(parsed.path), selector);
}

Result<std::unique_ptr<ImageSource>> OpenArchive(std::string spec, const SourceSpec& parsed) {
  auto archive = TarArchive::Open(parsed.path);
  bool detecting = parsed.transport == Transport::kDetect;
  if (!archive.ok()) {
    if (!detecting || archive.error().code() != ErrorCode::kCorruptInput) return archive.error();
    return Error(ErrorCode::kCorruptInput,
                 archive.error().message() +
                     "; expected an OCI layout directory, or a tar from docker save or of an "
                     "OCI layout");
  }

  Transport transport = parsed.transport;
  if (detecting) {
    if ((*archive)->Contains("manifest.json")) {
      transport = Transport::kDockerArchive;
    } else if ((*archive)->Contains("index.json")) {
      transport = Transport::kOciArchive;
    } else if ((*archive)->Contains("repositories")) {
      // A docker-archive from before Docker 1.10; resolving it reports
      // unsupported, as it does with the transport named.
      transport = Transport::kDockerArchive;
    } else {
      return Error(ErrorCode::kCorruptInput,
                   parsed.path +
                       ": a tar archive but not an image (no manifest.json or "
                       "index.json)");
    }
  }
  if (transport == Transport::kDockerArchive) {
    return MakeDockerArchiveSource(std::move(spec), std::move(archive).value(), parsed.ref);
  }
  if (!(*archive)->Contains("index.json")) {
    return Error(ErrorCode::kCorruptInput,
                 parsed.path + ": no index.json; not an OCI archive" +
                     ((*archive)->Contains("manifest.json")
                          ? " (it has manifest.json: open it as docker-archive:" + parsed.path + ")"
                          : ""));
  }
  return MakeOciSource(std::move(spec), std::move(archive).value(), OciSelector{parsed.ref, {}});
}

}  // namespace

Result<SourceSpec> ParseSourceSpec(std::string_view spec) {
  SourceSpec parsed;
  if (spec.starts_with(kDockerArchivePrefix) || spec.starts_with(kOciArchivePrefix)) {
    bool docker = spec.starts_with(kDockerArchivePrefix);
    std::string_view prefix = docker ? kDockerArchivePrefix : kOciArchivePrefix;
    if (IsDirectory(std::string(spec.substr(prefix.size())))) {
      return Error(ErrorCode::kCorruptInput,
                   std::string(spec) + ": a directory; this transport expects a tar file");
    }
    BULWARK_ASSIGN_OR_RETURN(auto split,
                             SplitPathAndRef(spec.substr(prefix.size()), IsFile, prefix));
    parsed.transport = docker ? Transport::kDockerArchive : Transport::kOciArchive;
    parsed.path = std::move(split.first);
    parsed.ref = std::move(split.second);
    return parsed;
  }
  if (spec.starts_with(kOciPrefix)) return ParseOciSpec(spec.substr(kOciPrefix.size()));
  if (spec.starts_with(kRegistryPrefix)) {
    std::string_view ref = spec.substr(kRegistryPrefix.size());
    auto reference = Reference::Parse(ref);
    if (!reference.ok()) {
      return Error(ErrorCode::kInvalidArgument,
                   std::string(spec) + ": not an image reference: " + reference.error().message());
    }
    parsed.transport = Transport::kRegistry;
    parsed.ref = std::string(ref);
    return parsed;
  }

  if (spec.empty()) {
    return Error(ErrorCode::kInvalidArgument, std::string("empty SOURCE") + kSyntaxHint);
  }
  parsed.path = std::string(spec);
  std::error_code error;
  if (fs::exists(parsed.path, error)) return parsed;
  // A bare text naming no file is a registry reference when it reads as one.
  if (!IsKnownOtherTransport(spec) && Reference::Parse(spec).ok()) {
    parsed.transport = Transport::kRegistry;
    parsed.ref = std::move(parsed.path);
    parsed.path.clear();
    parsed.bare_text = true;
    return parsed;
  }
  return ReportMissingSource(spec);
}

}  // namespace internal

Result<std::unique_ptr<ImageSource>> OpenSource(std::string_view spec,
                                                const SourceOptions& options) {
  using internal::Transport;
  BULWARK_ASSIGN_OR_RETURN(internal::SourceSpec parsed, internal::ParseSourceSpec(spec));
  std::string spec_text(spec);
  if (parsed.transport == Transport::kRegistry) {
    BULWARK_ASSIGN_OR_RETURN(Reference reference, Reference::Parse(parsed.ref));
    return internal::MakeRegistrySource(std::move(spec_text), std::move(reference),
                                        parsed.bare_text, options);
  }

  bool directory = internal::IsDirectory(parsed.path);
  if (parsed.transport == Transport::kOci ||
      (parsed.transport == Transport::kDetect && directory)) {
    return internal::OpenOciDir(std::move(spec_text), parsed);
  }
  if (directory) {
    return Error(ErrorCode::kCorruptInput,
                 parsed.path + ": a directory; this transport expects a tar file");
  }
  return internal::OpenArchive(std::move(spec_text), parsed);
}

}  // namespace bulwark::image
