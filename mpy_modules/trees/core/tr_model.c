// Loading and checking an "ETRS" file (format in tr_model.h); inference is emlearn's.
#include "tr_model.h"

// Only emlearn's per-tree inference (eml_trees_predict_tree) is used. Its forest-level
// functions vote in float and need soft-float division, which mpy_ld 1.23 cannot link
// on armv6m (libgcc's __aeabi_fdiv has absolute relocations in .text). Declaring them
// static first gives their definitions internal linkage (C99 6.2.2), so the compiler
// drops them, and votes are counted in integers here. For majority voting
// (leaf_bits 0) this picks the same class as eml_trees_predict: the same counts and
// the same first-maximum rule.
#define EML_TREES_REGRESSION_ENABLE 0
#include <eml_common.h>
struct _EmlTrees;
static EmlError eml_trees_predict_proba(const struct _EmlTrees *self, const int16_t *features,
                                        int8_t features_length, float *out, int32_t out_length);
static int32_t eml_trees_predict(const struct _EmlTrees *forest, const int16_t *features,
                                 int8_t features_length);
#include <eml_trees.h>

static const char *const messages[TR_STATUS_COUNT] = {
    [TR_OK] = "ok",
    [TR_ERR_TRUNCATED] = "model bytes are truncated",
    [TR_ERR_MAGIC] = "not a tree model (magic is not ETRS)",
    [TR_ERR_VERSION] = "unsupported tree model version",
    [TR_ERR_HEADER] = "tree model header out of range",
    [TR_ERR_SIZE] = "tree model length does not match its header",
    [TR_ERR_ROOT] = "tree root out of range",
    [TR_ERR_FEATURE] = "node feature index out of range",
    [TR_ERR_CHILD] = "node child must jump forward inside the nodes",
    [TR_ERR_LEAF] = "leaf reference or leaf value out of range",
    [TR_ERR_STORAGE] = "storage too small or misaligned",
    [TR_ERR_INPUT] = "wrong number of features or outputs",
};

const char *tr_status_message(tr_status_t status) {
    if ((unsigned)status >= TR_STATUS_COUNT) {
        return "unknown status";
    }
    return messages[status];
}

static uint16_t u16_at(const uint8_t *p) {
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t u32_at(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static int16_t s16_at(const uint8_t *p) {
    return (int16_t)u16_at(p);
}

static size_t leaf_size(const tr_header_t *h) {
    return h->leaf_bits ? h->n_classes : 1;
}

// Total file length for a header whose counts are already range-checked (no overflow:
// at most 20 + 4*1024 + 8*32767 + 30*32768 bytes).
static size_t file_bytes(const tr_header_t *h) {
    return TR_HEADER_BYTES + 4 * (size_t)h->n_trees + 8 * (size_t)h->n_nodes +
           (size_t)h->n_leaves * leaf_size(h);
}

tr_status_t tr_read_header(const uint8_t *bytes, size_t length, tr_header_t *header) {
    if (bytes == NULL || length < TR_HEADER_BYTES) {
        return TR_ERR_TRUNCATED;
    }
    if (bytes[0] != 'E' || bytes[1] != 'T' || bytes[2] != 'R' || bytes[3] != 'S') {
        return TR_ERR_MAGIC;
    }
    if (u16_at(bytes + 4) != TR_VERSION) {
        return TR_ERR_VERSION;
    }
    tr_header_t h = {
        .n_features = bytes[6],
        .n_classes = bytes[7],
        .n_trees = u16_at(bytes + 8),
        .leaf_bits = bytes[10],
        .n_nodes = u32_at(bytes + 12),
        .n_leaves = u32_at(bytes + 16),
    };
    if (h.n_features < 1 || h.n_features > 127 || h.n_classes < 2 || h.n_classes > TR_MAX_CLASSES ||
        h.n_trees < 1 || h.n_trees > TR_MAX_TREES || (h.leaf_bits != 0 && h.leaf_bits != 8) ||
        bytes[11] != 0 || h.n_nodes < 1 || h.n_nodes > TR_MAX_NODES || h.n_leaves < 1 ||
        h.n_leaves > TR_MAX_LEAVES) {
        return TR_ERR_HEADER;
    }
    if (length != file_bytes(&h)) {
        return length < file_bytes(&h) ? TR_ERR_TRUNCATED : TR_ERR_SIZE;
    }
    *header = h;
    return TR_OK;
}

// Storage layout: roots (int32), nodes (EmlTreesNode, 2-byte aligned), leaves.
size_t tr_storage_bytes(const tr_header_t *h) {
    return 4 * (size_t)h->n_trees + sizeof(EmlTreesNode) * (size_t)h->n_nodes +
           (size_t)h->n_leaves * leaf_size(h);
}

static tr_status_t check_child(int32_t node, int32_t child, const tr_header_t *h) {
    if (child > 0) {
        return (node + child < (int32_t)h->n_nodes) ? TR_OK : TR_ERR_CHILD;
    }
    if (child == 0) {
        return TR_ERR_CHILD;  // a self-loop would never end
    }
    return (-child - 1 < (int32_t)h->n_leaves) ? TR_OK : TR_ERR_LEAF;
}

tr_status_t tr_load(tr_model_t *model, const uint8_t *bytes, size_t length,
                    void *storage, size_t storage_bytes) {
    tr_header_t h;
    tr_status_t status = tr_read_header(bytes, length, &h);
    if (status != TR_OK) {
        return status;
    }
    if (storage == NULL || ((uintptr_t)storage & 3) != 0 || storage_bytes < tr_storage_bytes(&h)) {
        return TR_ERR_STORAGE;
    }
    int32_t *roots = storage;
    EmlTreesNode *nodes = (EmlTreesNode *)(roots + h.n_trees);
    uint8_t *leaves = (uint8_t *)(nodes + h.n_nodes);

    const uint8_t *p = bytes + TR_HEADER_BYTES;
    for (uint32_t t = 0; t < h.n_trees; t++, p += 4) {
        uint32_t root = u32_at(p);
        if (root >= h.n_nodes) {
            return TR_ERR_ROOT;
        }
        roots[t] = (int32_t)root;
    }
    const uint8_t *feature = p, *threshold = p + 2 * h.n_nodes;
    const uint8_t *left = p + 4 * h.n_nodes, *right = p + 6 * h.n_nodes;
    for (uint32_t i = 0; i < h.n_nodes; i++) {
        int16_t f = s16_at(feature + 2 * i);
        int16_t l = s16_at(left + 2 * i), r = s16_at(right + 2 * i);
        if (f < 0 || f >= h.n_features) {
            return TR_ERR_FEATURE;
        }
        status = check_child((int32_t)i, l, &h);
        if (status == TR_OK) {
            status = check_child((int32_t)i, r, &h);
        }
        if (status != TR_OK) {
            return status;
        }
        nodes[i] = (EmlTreesNode){ .feature = (int8_t)f, .value = s16_at(threshold + 2 * i),
                                   .left = l, .right = r };
    }
    p += 8 * (size_t)h.n_nodes;
    size_t leaf_bytes = (size_t)h.n_leaves * leaf_size(&h);
    for (size_t i = 0; i < leaf_bytes; i++) {
        if (h.leaf_bits == 0 && p[i] >= h.n_classes) {
            return TR_ERR_LEAF;  // a class number indexes the vote array
        }
        leaves[i] = p[i];
    }
    for (size_t i = 0; h.leaf_bits != 0 && i < leaf_bytes; i += h.n_classes) {
        uint32_t total = 0;
        for (size_t c = 0; c < h.n_classes; c++) {
            total += leaves[i + c];
        }
        if (total == 0) {
            return TR_ERR_LEAF;  // a leaf must vote for some class
        }
    }
    model->header = h;
    model->roots = roots;
    model->nodes = nodes;
    model->leaves = leaves;
    model->leaf_bytes = leaf_bytes;
    return TR_OK;
}

static EmlTrees as_eml(const tr_model_t *m) {
    EmlTrees t = {
        .n_nodes = (int32_t)m->header.n_nodes,
        .nodes = (EmlTreesNode *)m->nodes,
        .n_trees = m->header.n_trees,
        .tree_roots = (int32_t *)m->roots,
        .n_leaves = (int32_t)m->leaf_bytes,
        .leaves = (uint8_t *)m->leaves,
        .leaf_bits = (int8_t)m->header.leaf_bits,
        .n_features = (int8_t)m->header.n_features,
        .n_classes = (int8_t)m->header.n_classes,
    };
    return t;
}

tr_status_t tr_votes(const tr_model_t *model, const int16_t *features, size_t n,
                     uint32_t *out, size_t n_out) {
    const tr_header_t *h = &model->header;
    if (n != h->n_features || n_out != h->n_classes) {
        return TR_ERR_INPUT;
    }
    for (size_t c = 0; c < n_out; c++) {
        out[c] = 0;
    }
    EmlTrees t = as_eml(model);
    for (uint32_t i = 0; i < h->n_trees; i++) {
        int32_t leaf = eml_trees_predict_tree(&t, t.tree_roots[i], features, (int8_t)n);
        if (h->leaf_bits == 0) {
            out[model->leaves[leaf]] += 1;
        } else {
            const uint8_t *proportions = model->leaves + (size_t)leaf * h->n_classes;
            for (size_t c = 0; c < n_out; c++) {
                out[c] += proportions[c];
            }
        }
    }
    return TR_OK;
}

int32_t tr_predict(const tr_model_t *model, const int16_t *features, size_t n) {
    uint32_t votes[TR_MAX_CLASSES];
    if (tr_votes(model, features, n, votes, model->header.n_classes) != TR_OK) {
        return -1;
    }
    int32_t best = 0;
    for (int32_t c = 1; c < model->header.n_classes; c++) {
        if (votes[c] > votes[best]) {
            best = c;
        }
    }
    return best;
}
