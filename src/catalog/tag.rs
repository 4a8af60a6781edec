//! Image tags: seed 003 §12 and the newer tag operations of seed 000.

use super::Type::{Any, Array, Int, Long, Object, Str};
use super::{
    field, int, optional, required, Group, Operation, INSTANCE_ID, PAGE_NO, PAGE_NO_FIELD,
    PAGE_SIZE, PAGE_SIZE_FIELD, REGION_ID, TOTAL_COUNT_FIELD,
};

/// The fields describing one tag, shared by `ListRepoTag` and `GetRepoTag`,
/// in the order the service sends them (seed 003 §12.1's samples): the
/// decoders try the next field in catalogue order first.
const IMAGE_FIELDS: &[super::Field] = &[
    field("Status", Str),
    field("ImageCreate", Long),
    field("ImageSize", Long),
    field("Digest", Str),
    field("ImageId", Str),
    field("ImageUpdate", Long),
    field("Tag", Str),
];

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        action: "ListRepoTag",
        group: Group::Tag,
        doc: "seed 003 §12.1",
        summary: "Queries the image tags of a repository, one page at a time.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            PAGE_NO,
            PAGE_SIZE,
        ],
        response: &[
            PAGE_NO_FIELD,
            PAGE_SIZE_FIELD,
            TOTAL_COUNT_FIELD,
            field("Images", Array(&Object(IMAGE_FIELDS))),
        ],
    },
    Operation {
        action: "DeleteRepoTag",
        group: Group::Tag,
        doc: "seed 003 §12.2",
        summary: "Deletes an image tag from a repository.",
        params: &[INSTANCE_ID, REGION_ID, required("RepoId"), required("Tag")],
        response: &[],
    },
    Operation {
        action: "GetRepoTagLayers",
        group: Group::Tag,
        doc: "seed 003 §12.3",
        summary: "Queries the layers of an image tag.",
        params: &[INSTANCE_ID, REGION_ID, required("RepoId"), required("Tag")],
        response: &[field(
            "Layers",
            Array(&Object(&[
                field("BlobDigest", Str),
                field("BlobSize", Long),
                field("LayerInstruction", Str),
                field("LayerCMD", Str),
                field("LayerIndex", Int),
            ])),
        )],
    },
    Operation {
        action: "GetRepoTagManifest",
        group: Group::Tag,
        doc: "seed 003 §12.4",
        summary: "Queries the manifest of an image tag.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            required("Tag"),
            int("SchemaVersion", 1, 2, false),
        ],
        // Inside `Manifest` the service returns the Docker manifest with its
        // own lower-case keys (api-notes, "Seed errata"); schema 1 fields too.
        // The seed's sample also has a top-level `Tag`, which no table and
        // no SDK model of this answer lists: it is ignored as unknown.
        response: &[field(
            "Manifest",
            Object(&[
                field("schemaVersion", Int),
                field("mediaType", Str),
                field("name", Str),
                field("tag", Str),
                field("architecture", Str),
                field(
                    "config",
                    Object(&[
                        field("mediaType", Str),
                        field("size", Long),
                        field("digest", Str),
                    ]),
                ),
                field(
                    "layers",
                    Array(&Object(&[
                        field("mediaType", Str),
                        field("size", Long),
                        field("digest", Str),
                    ])),
                ),
                field("fsLayers", Array(&Object(&[field("blobSum", Str)]))),
                field("history", Array(&Object(&[field("v1Compatibility", Any)]))),
                field(
                    "signatures",
                    Array(&Object(&[
                        field("header", Any),
                        field("signature", Str),
                        field("protected", Str),
                    ])),
                ),
            ]),
        )],
    },
    Operation {
        action: "CreateRepoTag",
        group: Group::Tag,
        doc: "seed 000 createRepoTag",
        summary: "Creates a tag that points at the image of an existing tag.",
        // The newer API addresses the repository by names, not by RepoId.
        params: &[
            INSTANCE_ID,
            optional("RegionId"),
            required("NamespaceName"),
            required("RepoName"),
            required("FromTag"),
            required("ToTag"),
        ],
        response: &[],
    },
    Operation {
        action: "GetRepoTag",
        group: Group::Tag,
        doc: "seed 000 getRepoTag",
        summary: "Queries one image tag.",
        params: &[
            INSTANCE_ID,
            optional("RegionId"),
            required("RepoId"),
            required("Tag"),
        ],
        response: IMAGE_FIELDS,
    },
];
