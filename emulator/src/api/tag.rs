//! Image tags: list, get, create from another, delete, layers, manifest.

use tagdeck::Value;

use super::{
    check_tag, done, page, pages_by_token, repo_not_found, token_page, Answer, Call, Failure,
    Route, DEFAULT_PAGE_SIZE,
};
use crate::obj;
use crate::state::{Image, Repository, State, Tag};

pub(super) const ROUTES: &[Route] = &[
    Route::read("ListRepoTag", list),
    Route::read("GetRepoTag", get),
    Route::write("CreateRepoTag", create),
    Route::write("DeleteRepoTag", delete),
    Route::read("GetRepoTagLayers", layers),
    Route::read("GetRepoTagManifest", manifest),
];

/// `TAG_NOT_EXIST` for `tag` in `repo`.
pub fn tag_not_found(repo: &Repository, tag: &str) -> Failure {
    Failure::business(
        "TAG_NOT_EXIST",
        format!(
            "The tag {tag} does not exist in the repository {}/{}.",
            repo.namespace, repo.name
        ),
    )
}

/// The refusal to delete or move tag `tag` of an immutable repository.
/// The message is the one the vendor's user guide ("Enable image tag
/// immutability") quotes for a refused push.
pub fn immutable(repo: &Repository, tag: &str) -> Failure {
    Failure::business(
        "TAG_IMMUTABLE",
        format!(
            "The requested tag already exists and cannot be overwritten: {}/{} has tag immutability, so {tag} cannot be deleted or moved.",
            repo.namespace, repo.name
        ),
    )
}

/// The tag named by `Tag` and its image.
fn tag_and_image<'s>(
    state: &'s State,
    call: &Call<'_>,
) -> Result<(&'s Repository, &'s Tag, &'s Image), Failure> {
    let repo = call.repository(call.instance(state)?)?;
    let name = call.text("Tag");
    let tag = repo.tag(name).ok_or_else(|| tag_not_found(repo, name))?;
    let image = state.images.get(&tag.digest).ok_or_else(|| {
        Failure::business(
            "MANIFEST_NOT_EXIST",
            format!("The image of tag {name} is missing from the registry."),
        )
    })?;
    Ok((repo, tag, image))
}

/// A tag as `ListRepoTag` and `GetRepoTag` show it.
fn image_fields(tag: &Tag, image: Option<&Image>) -> Value {
    obj! {
        "Tag" => &tag.name,
        "Digest" => &tag.digest,
        "ImageId" => image.map(|i| i.config_digest.clone()),
        "Status" => &tag.status,
        "ImageSize" => image.map(Image::size),
        "ImageCreate" => tag.create_time,
        "ImageUpdate" => tag.update_time,
    }
}

/// Newest first, as the console lists them; ties by name (the order the
/// repository keeps its tags in).
fn list(state: &State, call: &Call<'_>) -> Answer {
    let repo = call.repository(call.instance(state)?)?;
    if pages_by_token(call) {
        let (range, next) = token_page(call, repo.tags.len(), DEFAULT_PAGE_SIZE)?;
        let size = range.len();
        let items: Vec<Value> = repo.tags[range]
            .iter()
            .map(|t| image_fields(t, state.images.get(&t.digest)))
            .collect();
        return Ok(obj! {
            "Images" => items,
            "TotalCount" => repo.tags.len(),
            "MaxResults" => size,
            "NextToken" => next,
        });
    }
    Ok(page(call, &repo.tags, "Images", |t| {
        image_fields(t, state.images.get(&t.digest))
    }))
}

fn get(state: &State, call: &Call<'_>) -> Answer {
    let (_, tag, image) = tag_and_image(state, call)?;
    Ok(image_fields(tag, Some(image)))
}

/// A new tag pointing at the image of an existing one. The repository is
/// named, not given by id, in this newer operation.
fn create(state: &mut State, call: &Call<'_>) -> Answer {
    let (namespace, name) = (call.text("NamespaceName"), call.text("RepoName"));
    let (from, to) = (call.text("FromTag"), call.text("ToTag"));
    check_tag("ToTag", to)?;
    let ii = call.instance_index(state)?;
    let ri = state.instances[ii]
        .repositories
        .iter()
        .position(|r| r.namespace == namespace && r.name == name)
        .ok_or_else(|| repo_not_found(&format!("{namespace}/{name}")))?;
    let repo = &state.instances[ii].repositories[ri];
    let source = repo.tag(from).ok_or_else(|| tag_not_found(repo, from))?;
    if repo.tag(to).is_some() {
        return Err(Failure::business(
            "TAG_ALREADY_EXIST",
            format!("The tag {to} already exists in {namespace}/{name}."),
        ));
    }
    let digest = source.digest.clone();
    // A push: rules that synchronise on push start their tasks. `to` is a
    // new tag (checked above), which immutability does not refuse.
    state.push_tag(ii, ri, to, &digest, call.now, call.task_ms);
    done()
}

fn delete(state: &mut State, call: &Call<'_>) -> Answer {
    let now = call.now;
    let repo = call.repository_mut(call.instance_mut(state)?)?;
    let name = call.text("Tag");
    let index = repo
        .tags
        .iter()
        .position(|t| t.name == name)
        .ok_or_else(|| tag_not_found(repo, name))?;
    if repo.is_immutable(name) {
        return Err(immutable(repo, name));
    }
    repo.tags.remove(index);
    repo.scans.retain(|s| s.tag != name);
    repo.modified_time = now;
    done()
}

fn layers(state: &State, call: &Call<'_>) -> Answer {
    let (_, _, image) = tag_and_image(state, call)?;
    let layers = image
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            obj! {
                "BlobDigest" => format!("sha256:{}", l.digest),
                "BlobSize" => l.size,
                "LayerInstruction" => &l.instruction,
                "LayerCMD" => &l.command,
                "LayerIndex" => i,
            }
        })
        .collect::<Vec<_>>();
    Ok(obj! { "Layers" => layers })
}

/// The Docker manifest with its own lower-case keys inside `Manifest`:
/// schema 2 by default, schema 1 (with history and a signature) on request.
fn manifest(state: &State, call: &Call<'_>) -> Answer {
    let (repo, tag, image) = tag_and_image(state, call)?;
    let manifest = match call.int("SchemaVersion").unwrap_or(2) {
        1 => {
            let fs_layers: Vec<Value> = image
                .layers
                .iter()
                .rev()
                .map(|l| obj! { "blobSum" => format!("sha256:{}", l.digest) })
                .collect();
            let history: Vec<Value> = image
                .v1_history()
                .into_iter()
                .map(|h| obj! { "v1Compatibility" => h })
                .collect();
            // A schema 1 manifest is signed with a JWS; the key and the
            // signature are derived from the digest so they stay stable.
            let signature = obj! {
                "header" => obj! {
                    "jwk" => obj! {
                        "crv" => "P-256",
                        "kid" => format!("{}:{}", &tag.digest[..4], &tag.digest[4..8]).to_uppercase(),
                        "kty" => "EC",
                    },
                    "alg" => "ES256",
                },
                "signature" => format!("{}{}", &image.config_digest[..43], &tag.digest[..43]),
                "protected" => format!("eyJmb3JtYXRMZW5ndGgiOj{}", &tag.digest[..20]),
            };
            obj! {
                "schemaVersion" => 1_i64,
                "name" => format!("{}/{}", repo.namespace, repo.name),
                "tag" => &tag.name,
                "architecture" => &image.architecture,
                "fsLayers" => fs_layers,
                "history" => history,
                "signatures" => vec![signature],
            }
        }
        _ => {
            let layers: Vec<Value> = image
                .layers
                .iter()
                .map(|l| {
                    obj! {
                        "mediaType" => crate::state::image::LAYER_GZIP,
                        "size" => l.size,
                        "digest" => format!("sha256:{}", l.digest),
                    }
                })
                .collect();
            obj! {
                "schemaVersion" => 2_i64,
                "mediaType" => crate::state::image::MANIFEST_V2,
                "config" => obj! {
                    "mediaType" => crate::state::image::CONFIG_V1,
                    "size" => image.config_size,
                    "digest" => format!("sha256:{}", image.config_digest),
                },
                "layers" => layers,
            }
        }
    };
    Ok(obj! { "Manifest" => manifest })
}
