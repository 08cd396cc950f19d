// Resolving an image inside a `docker save` archive, in the legacy layout or
// the Docker 25+ one (an OCI layout plus manifest.json). Internal to image/.
#ifndef BULWARK_IMAGE_DOCKER_ARCHIVE_H_
#define BULWARK_IMAGE_DOCKER_ARCHIVE_H_

#include <string>

#include "common/result.h"
#include "image/file_tree.h"
#include "image/model.h"
#include "image/source.h"

namespace bulwark::image::internal {

// Resolves the image `ref` names in the docker-archive `archive`: a RepoTag
// (compared after reference normalisation), an image id or a unique prefix of
// one ("sha256:" optional), or "@N" for the N-th entry of manifest.json. An
// empty `ref` needs an archive of one image. The config is checked against the
// digest its member name carries; the manifest digest is set when the archive
// also holds an OCI index listing the image (Docker 25+). Errors as in
// ImageSource::Resolve; an archive of several images and no `ref` is
// kInvalidArgument listing them.
Result<ResolvedImage> ResolveDockerArchive(TarArchive& archive, const std::string& ref,
                                           const ResolveOptions& options);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_DOCKER_ARCHIVE_H_
