// The json module: dumps/dump print through the core's PRINT_JSON mode, loads/load
// parse with a small recursive-descent parser. Built when MICROPY_PY_JSON is set.
#include <string.h>

#include "py/objstr.h"
#include "py/parsenum.h"
#include "py/runtime.h"
#include "py/stream.h"

#if MICROPY_PY_JSON

static mp_obj_t json_dumps(mp_obj_t obj) {
    vstr_t vstr;
    mp_print_t print;
    vstr_init_print(&vstr, 16, &print);
    mp_obj_print_helper(&print, obj, PRINT_JSON);
    return mp_obj_new_str_from_utf8_vstr(&vstr);
}
static MP_DEFINE_CONST_FUN_OBJ_1(json_dumps_obj, json_dumps);

static mp_obj_t json_dump(mp_obj_t obj, mp_obj_t stream) {
    mp_obj_t write[3];
    mp_load_method(stream, MP_QSTR_write, write);
    write[2] = json_dumps(obj);
    mp_call_method_n_kw(1, 0, write);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(json_dump_obj, json_dump);

typedef struct {
    const char *p, *end;
} json_reader_t;

static NORETURN void json_fail(void) {
    mp_raise_ValueError(MP_ERROR_TEXT("syntax error in JSON"));
}

static void skip_space(json_reader_t *r) {
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) {
        r->p++;
    }
}

static bool take_word(json_reader_t *r, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) >= n && memcmp(r->p, word, n) == 0) {
        r->p += n;
        return true;
    }
    return false;
}

static int hex_digit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static mp_obj_t parse_string(json_reader_t *r) {
    vstr_t vstr;
    vstr_init(&vstr, 16);
    r->p++; // opening quote
    for (;;) {
        if (r->p >= r->end) {
            json_fail();
        }
        char c = *r->p++;
        if (c == '"') {
            break;
        }
        if (c != '\\') {
            vstr_add_byte(&vstr, c);
            continue;
        }
        if (r->p >= r->end) {
            json_fail();
        }
        c = *r->p++;
        switch (c) {
            case 'b': vstr_add_byte(&vstr, '\b'); break;
            case 'f': vstr_add_byte(&vstr, '\f'); break;
            case 'n': vstr_add_byte(&vstr, '\n'); break;
            case 'r': vstr_add_byte(&vstr, '\r'); break;
            case 't': vstr_add_byte(&vstr, '\t'); break;
            case '"': case '\\': case '/': vstr_add_byte(&vstr, c); break;
            case 'u': {
                unichar code = 0;
                for (int i = 0; i < 4; i++) {
                    int d = r->p < r->end ? hex_digit(*r->p++) : -1;
                    if (d < 0) {
                        json_fail();
                    }
                    code = code * 16 + d;
                }
                vstr_add_char(&vstr, code);
                break;
            }
            default:
                json_fail();
        }
    }
    return mp_obj_new_str_from_utf8_vstr(&vstr);
}

static mp_obj_t parse_number(json_reader_t *r) {
    const char *start = r->p;
    bool is_float = false;
    while (r->p < r->end && *r->p != 0 && strchr("+-0123456789.eE", *r->p) != NULL) {
        is_float |= (*r->p == '.' || *r->p == 'e' || *r->p == 'E');
        r->p++;
    }
    if (r->p == start) {
        json_fail();
    }
    if (is_float) {
        return mp_parse_num_float(start, r->p - start, false, NULL);
    }
    return mp_parse_num_integer(start, r->p - start, 10, NULL);
}

static mp_obj_t parse_value(json_reader_t *r);

// Items of an array or members of an object, after the opening bracket.
static mp_obj_t parse_container(json_reader_t *r, bool is_object) {
    mp_obj_t container = is_object ? mp_obj_new_dict(0) : mp_obj_new_list(0, NULL);
    char close = is_object ? '}' : ']';
    r->p++;
    skip_space(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return container;
    }
    for (;;) {
        skip_space(r);
        if (is_object) {
            if (r->p >= r->end || *r->p != '"') {
                json_fail();
            }
            mp_obj_t key = parse_string(r);
            skip_space(r);
            if (r->p >= r->end || *r->p++ != ':') {
                json_fail();
            }
            mp_obj_dict_store(container, key, parse_value(r));
        } else {
            mp_obj_list_append(container, parse_value(r));
        }
        skip_space(r);
        if (r->p >= r->end) {
            json_fail();
        }
        char c = *r->p++;
        if (c == close) {
            return container;
        }
        if (c != ',') {
            json_fail();
        }
    }
}

static mp_obj_t parse_value(json_reader_t *r) {
    MP_STACK_CHECK(); // nesting depth is the input's choice
    skip_space(r);
    if (r->p >= r->end) {
        json_fail();
    }
    switch (*r->p) {
        case '{': return parse_container(r, true);
        case '[': return parse_container(r, false);
        case '"': return parse_string(r);
    }
    if (take_word(r, "true")) {
        return mp_const_true;
    }
    if (take_word(r, "false")) {
        return mp_const_false;
    }
    if (take_word(r, "null")) {
        return mp_const_none;
    }
    return parse_number(r);
}

static mp_obj_t json_loads(mp_obj_t text_in) {
    size_t len;
    const char *text = mp_obj_str_get_data(text_in, &len);
    json_reader_t r = { text, text + len };
    mp_obj_t value = parse_value(&r);
    skip_space(&r);
    if (r.p != r.end) {
        json_fail();
    }
    return value;
}
static MP_DEFINE_CONST_FUN_OBJ_1(json_loads_obj, json_loads);

static mp_obj_t json_load(mp_obj_t stream) {
    mp_obj_t read[2];
    mp_load_method(stream, MP_QSTR_read, read);
    return json_loads(mp_call_method_n_kw(0, 0, read));
}
static MP_DEFINE_CONST_FUN_OBJ_1(json_load_obj, json_load);

static const mp_rom_map_elem_t json_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_json) },
    { MP_ROM_QSTR(MP_QSTR_dumps), MP_ROM_PTR(&json_dumps_obj) },
    { MP_ROM_QSTR(MP_QSTR_dump), MP_ROM_PTR(&json_dump_obj) },
    { MP_ROM_QSTR(MP_QSTR_loads), MP_ROM_PTR(&json_loads_obj) },
    { MP_ROM_QSTR(MP_QSTR_load), MP_ROM_PTR(&json_load_obj) },
};
static MP_DEFINE_CONST_DICT(json_module_globals, json_module_globals_table);

const mp_obj_module_t mp_module_json = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&json_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_json, mp_module_json);

#endif // MICROPY_PY_JSON
