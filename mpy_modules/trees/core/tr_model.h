// tr_model: a tree ensemble loaded at run time from bytes, evaluated by emlearn.
//
// File format "ETRS" version 1, little-endian, no padding:
//   off size
//     0    4  magic "ETRS"
//     4    2  version (1)
//     6    1  n_features  1..127       (emlearn keeps the feature index in an int8)
//     7    1  n_classes   2..TR_MAX_CLASSES
//     8    2  n_trees     1..TR_MAX_TREES
//    10    1  leaf_bits   0 (leaf = class, majority vote) or 8 (leaf = n_classes uint8
//                         class proportions, 255 = 1.0, soft vote)
//    11    1  reserved, 0
//    12    4  n_nodes     1..TR_MAX_NODES  decision nodes
//    16    4  n_leaves    1..TR_MAX_LEAVES
//    20       int32 roots[n_trees]           node index of each tree's root
//             int16 feature[n_nodes]
//             int16 threshold[n_nodes]       go left when features[feature] < threshold
//             int16 left[n_nodes], right[n_nodes]
//                                            >0: next node is this node + child;
//                                            <0: leaf number -child-1
//             uint8 leaves[n_leaves * (leaf_bits ? n_classes : 1)]
// The node semantics are emlearn's (eml_trees.h, loadable method). Loading checks
// every field and every reference, and requires children to jump strictly forward,
// so any accepted file evaluates in bounded time without reading out of bounds.
//
// Lifetime: tr_load copies what it needs into caller-owned storage of
// tr_storage_bytes() bytes (4-byte aligned); the input bytes may be freed after.
#ifndef TR_MODEL_H
#define TR_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define TR_MAGIC "ETRS"
#define TR_VERSION 1
#define TR_HEADER_BYTES 20
#define TR_MAX_CLASSES 30     // EMTREES_MAX_CLASSES in eml_trees.h
#define TR_MAX_TREES 1024
#define TR_MAX_NODES 32767    // children are relative int16 jumps
#define TR_MAX_LEAVES 32768   // leaves are encoded as -leaf-1 in an int16

typedef enum {
    TR_OK = 0,
    TR_ERR_TRUNCATED,
    TR_ERR_MAGIC,
    TR_ERR_VERSION,
    TR_ERR_HEADER,
    TR_ERR_SIZE,
    TR_ERR_ROOT,
    TR_ERR_FEATURE,
    TR_ERR_CHILD,
    TR_ERR_LEAF,
    TR_ERR_STORAGE,
    TR_ERR_INPUT,
    TR_STATUS_COUNT
} tr_status_t;

typedef struct {
    uint8_t n_features;
    uint8_t n_classes;
    uint16_t n_trees;
    uint8_t leaf_bits;
    uint32_t n_nodes;
    uint32_t n_leaves;
} tr_header_t;

// Only tr_model.c includes eml_trees.h (it defines functions, so it may be included once).
typedef struct {
    tr_header_t header;
    const int32_t *roots;  // in the caller's storage
    const void *nodes;     // EmlTreesNode[n_nodes], in the caller's storage
    const uint8_t *leaves; // in the caller's storage
    size_t leaf_bytes;
} tr_model_t;

const char *tr_status_message(tr_status_t status);

// Reads and checks the header and the total length; fills *header.
tr_status_t tr_read_header(const uint8_t *bytes, size_t length, tr_header_t *header);

// Bytes of storage tr_load needs for this header.
size_t tr_storage_bytes(const tr_header_t *header);

// Checks the whole file and sets up *model on storage (see the lifetime note above).
tr_status_t tr_load(tr_model_t *model, const uint8_t *bytes, size_t length,
                    void *storage, size_t storage_bytes);

// Votes per class into out[n_classes]: leaf_bits 0 counts the trees voting for each
// class; leaf_bits 8 sums the trees' uint8 proportions (divide by 255 * n_trees for
// emlearn's predict_proba). TR_ERR_INPUT when n != n_features or n_out != n_classes.
tr_status_t tr_votes(const tr_model_t *model, const int16_t *features, size_t n,
                     uint32_t *out, size_t n_out);

// Class with the most votes (the first on a tie), 0..n_classes-1; -1 when
// n != n_features.
int32_t tr_predict(const tr_model_t *model, const int16_t *features, size_t n);

#endif
