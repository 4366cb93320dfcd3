//! Engine tests: Go text/template semantics and every function Istio's charts call.

use super::helm::helm_funcs;
use super::{Templates, Value};

fn data(json: serde_json::Value) -> Value {
    Value::from_json(&json)
}

/// Executes `tpl` with Helm's function map; `<no value>` is kept (raw Go output).
fn run(tpl: &str, dot: serde_json::Value) -> Result<String, String> {
    let mut set = Templates::new(helm_funcs());
    set.parse("t", tpl).map_err(|e| e.to_string())?;
    set.execute("t", &data(dot)).map_err(|e| e.to_string())
}

fn ok(tpl: &str, dot: serde_json::Value) -> String {
    match run(tpl, dot) {
        Ok(s) => s,
        Err(e) => panic!("{tpl}: {e}"),
    }
}

fn err(tpl: &str, dot: serde_json::Value) -> String {
    match run(tpl, dot) {
        Ok(s) => panic!("{tpl}: expected an error, got {s:?}"),
        Err(e) => e,
    }
}

use serde_json::json;

#[test]
fn text_trimming_and_comments() {
    assert_eq!(ok("a  {{- 1 -}}  b", json!({})), "a1b");
    assert_eq!(ok("a {{-3}} b", json!({})), "a -3 b");
    assert_eq!(ok("x\n  {{- /* note */ -}}\n  y", json!({})), "xy");
    assert_eq!(ok("{{/* c */}}z", json!({})), "z");
    assert_eq!(ok("a\n{{- \"b\" }}\n", json!({})), "ab\n");
}

#[test]
fn conditionals_and_truthiness() {
    let t = "{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}";
    assert_eq!(ok(t, json!({"a": 1})), "A");
    assert_eq!(ok(t, json!({"a": 0, "b": "x"})), "B");
    assert_eq!(ok(t, json!({"a": "", "b": {}})), "C");
    assert_eq!(ok(t, json!({"a": [], "b": false})), "C");
    assert_eq!(
        ok(
            "{{ with .m }}{{ .k }}{{ else }}none{{ end }}",
            json!({"m": {"k": "v"}})
        ),
        "v"
    );
    assert_eq!(
        ok("{{ with .m }}{{ .k }}{{ else }}none{{ end }}", json!({})),
        "none"
    );
    assert_eq!(
        ok(
            "{{ with $x := .m }}{{ $x.k }}{{ end }}",
            json!({"m": {"k": 1}})
        ),
        "1"
    );
}

#[test]
fn range_forms() {
    assert_eq!(
        ok("{{ range .l }}[{{ . }}]{{ end }}", json!({"l": ["a", "b"]})),
        "[a][b]"
    );
    assert_eq!(
        ok(
            "{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}",
            json!({"l": ["a", "b"]})
        ),
        "0=a;1=b;"
    );
    // maps iterate in key order
    assert_eq!(
        ok(
            "{{ range $k, $v := .m }}{{ $k }}{{ $v }},{{ end }}",
            json!({"m": {"b": 2, "a": 1, "c": 3}})
        ),
        "a1,b2,c3,"
    );
    assert_eq!(
        ok(
            "{{ range $v := .m }}{{ $v }}{{ end }}",
            json!({"m": {"b": 2, "a": 1}})
        ),
        "12"
    );
    assert_eq!(
        ok("{{ range .l }}x{{ else }}empty{{ end }}", json!({"l": []})),
        "empty"
    );
    assert_eq!(
        ok("{{ range .missing }}x{{ else }}empty{{ end }}", json!({})),
        "empty"
    );
    assert_eq!(ok("{{ range 3 }}{{ . }}{{ end }}", json!({})), "012");
    // JSON numbers are float64, so compare through `int`
    assert_eq!(
        ok(
            "{{ range .l }}{{ if eq (int .) 2 }}{{ continue }}{{ end }}{{ if eq (int .) 4 }}{{ break }}{{ end }}{{ . }}{{ end }}",
            json!({"l": [1, 2, 3, 4, 5]})
        ),
        "13"
    );
    assert!(
        err("{{ range .s }}{{ end }}", json!({"s": "abc"}))
            .contains("range can't iterate over abc")
    );
}

#[test]
fn variables_scoping_and_assignment() {
    assert_eq!(
        ok(
            "{{ $x := 1 }}{{ range .l }}{{ $x = . }}{{ end }}{{ $x }}",
            json!({"l": ["a", "b"]})
        ),
        "b"
    );
    assert_eq!(
        ok(
            "{{ range .l }}{{ $.top }}{{ end }}",
            json!({"l": [1, 2], "top": "T"})
        ),
        "TT"
    );
    assert_eq!(
        ok(
            "{{ $v := \"a\" }}{{ with .m }}{{ $v }}{{ end }}",
            json!({"m": 1})
        ),
        "a"
    );
    // a variable declared inside a block ends with it
    assert!(
        err("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}", json!({}))
            .contains("undefined variable \"$y\"")
    );
    // `$` in a template call is that call's dot
    assert_eq!(
        ok(
            "{{ define \"d\" }}{{ $.k }}{{ end }}{{ template \"d\" .m }}",
            json!({"m": {"k": "in"}, "k": "out"})
        ),
        "in"
    );
}

#[test]
fn pipelines_and_parentheses() {
    assert_eq!(
        ok("{{ \"abc\" | upper | printf \"%s!\" }}", json!({})),
        "ABC!"
    );
    assert_eq!(
        ok(
            "{{ (index .m \"a\").b }}",
            json!({"m": {"a": {"b": "deep"}}})
        ),
        "deep"
    );
    assert_eq!(ok("{{ len (list 1 2 3) }}", json!({})), "3");
    assert_eq!(ok("{{ .a | default \"d\" | quote }}", json!({})), "\"d\"");
}

#[test]
fn missing_values() {
    // missingkey=zero: Go prints <no value>, which Helm removes afterwards
    assert_eq!(ok("[{{ .a }}]", json!({})), "[<no value>]");
    assert_eq!(
        err("{{ .a.b }}", json!({})),
        "template: t:1:5: executing \"t\" at <.a.b>: nil pointer evaluating interface {}.b"
    );
    assert!(
        err("{{ .a.b }}", json!({"a": null})).contains("nil pointer evaluating interface {}.b")
    );
    // through a variable (an unwrapped nil) there is no error
    assert_eq!(ok("{{ $x := .a }}[{{ $x.b }}]", json!({})), "[<no value>]");
    assert_eq!(ok("[{{ (.a).b }}]", json!({})), "[<no value>]");
    // a map element is an interface{} to Go, a variable holding a string is a string
    assert!(
        err("{{ .s.x }}", json!({"s": "str"}))
            .contains("can't evaluate field x in type interface {}")
    );
    assert!(
        err("{{ $s := \"str\" }}{{ $s.x }}", json!({}))
            .contains("can't evaluate field x in type string")
    );
    assert!(err("{{ .a | trim }}", json!({})).contains("invalid value; expected string"));
    assert!(
        err("{{ trim .a }}", json!({}))
            .contains("wrong type for value; expected string; got interface {}")
    );
}

#[test]
fn go_number_formatting() {
    assert_eq!(
        ok(
            "{{ .f }} {{ .g }} {{ .h }}",
            json!({"f": 1000000, "g": 8080, "h": 0.5})
        ),
        "1e+06 8080 0.5"
    );
    assert_eq!(
        ok("{{ int .f }} {{ toYaml .f }}", json!({"f": 1000000})),
        "1000000 1000000"
    );
    assert_eq!(
        ok("{{ 3 }} {{ 1.5 }} {{ 1e3 }} {{ 0x10 }}", json!({})),
        "3 1.5 1000 16"
    );
    assert_eq!(
        ok(
            "{{ add 1 2 }} {{ max 1 5 3 }} {{ sub 5 2 }} {{ mul 2 3 }} {{ div 7 2 }}",
            json!({})
        ),
        "3 5 3 6 3"
    );
}

#[test]
fn eq_and_comparisons_follow_go() {
    assert_eq!(
        ok(
            "{{ eq \"a\" \"b\" \"a\" }} {{ ne 1 2 }} {{ eq .x 1.5 }}",
            json!({"x": 1.5})
        ),
        "true true true"
    );
    assert!(
        err("{{ eq .x 1 }}", json!({"x": 1}))
            .contains("error calling eq: incompatible types for comparison")
    );
    assert_eq!(
        ok("{{ eq .missing \"x\" }} {{ eq .missing nil }}", json!({})),
        "false true"
    );
    assert_eq!(
        ok(
            "{{ lt 1 2 }} {{ le \"a\" \"a\" }} {{ gt 3.5 1.5 }} {{ ge 2 3 }}",
            json!({})
        ),
        "true true true false"
    );
    assert!(err("{{ gt .x 1 }}", json!({"x": 2})).contains("incompatible types for comparison"));
    assert!(err("{{ lt true false }}", json!({})).contains("invalid type for comparison"));
}

#[test]
fn and_or_not_return_operands_and_short_circuit() {
    assert_eq!(
        ok(
            "{{ or \"\" \"x\" }} {{ and 1 0 }} {{ and 1 2 }} {{ or 0 \"\" }}",
            json!({})
        ),
        "x 0 2 "
    );
    assert_eq!(ok("{{ or true (fail \"never\") }}", json!({})), "true");
    assert_eq!(ok("{{ and false (fail \"never\") }}", json!({})), "false");
    assert_eq!(ok("{{ not .a }} {{ not 1 }}", json!({})), "true false");
}

#[test]
fn templates_include_tpl() {
    let t = r#"{{- define "n" }}name-{{ . }}{{ end -}}
{{ include "n" "x" | upper }} {{ template "n" "y" }} {{ tpl "{{ .v }}-{{ include \"n\" 1 }}" . }}"#;
    assert_eq!(ok(t, json!({"v": "V"})), "NAME-X name-y V-name-1");
    // defines inside tpl are visible to include inside the same tpl
    assert_eq!(
        ok(
            r#"{{ tpl "{{ define \"q\" }}Q{{ end }}{{ include \"q\" . }}" . }}"#,
            json!({})
        ),
        "Q"
    );
    assert_eq!(
        ok("{{ block \"b\" . }}default{{ end }}", json!({})),
        "default"
    );
    assert!(err("{{ include \"nope\" . }}", json!({})).contains("no template \"nope\""));
    assert!(err("{{ template \"nope\" }}", json!({})).contains("template \"nope\" not defined"));
    // tpl drops <no value>
    assert_eq!(ok("[{{ tpl \"{{ .missing }}\" . }}]", json!({})), "[]");
}

#[test]
fn maps_are_shared_by_reference() {
    let t = r#"{{ $_ := set .m "k" "v" }}{{ .m.k }} {{ $d := dict "a" 1 }}{{ $_ := merge $d (dict "b" 2) }}{{ $d.b }} {{ $c := deepCopy .m }}{{ $_ := set $c "k" "w" }}{{ .m.k }}"#;
    assert_eq!(ok(t, json!({"m": {}})), "v 2 v");
    assert_eq!(
        ok(
            r#"{{ $_ := unset .m "a" }}{{ hasKey .m "a" }}"#,
            json!({"m": {"a": 1}})
        ),
        "false"
    );
}

#[test]
fn merge_functions_follow_mergo() {
    let t = r#"{{ toJson (mergeOverwrite (dict "a" 1 "n" (dict "x" 1) "l" (list 1)) (dict "a" 2 "n" (dict "y" 2) "l" (list) "z" false)) }}"#;
    assert_eq!(
        ok(t, json!({})),
        r#"{"a":2,"l":[],"n":{"x":1,"y":2},"z":false}"#
    );
    let t = r#"{{ toJson (merge (dict "a" 1 "e" "") (dict "a" 2 "b" 3 "e" "filled")) }}"#;
    assert_eq!(ok(t, json!({})), r#"{"a":1,"b":3,"e":"filled"}"#);
    let t = r#"{{ $d := dict "a" (dict "x" 1) }}{{ $_ := mustMergeOverwrite $d (dict "a" (dict "y" 2)) }}{{ toJson $d }}"#;
    assert_eq!(ok(t, json!({})), r#"{"a":{"x":1,"y":2}}"#);
}

#[test]
fn string_functions() {
    let cases = [
        (r#"{{ trim "  a b  " }}"#, "a b"),
        (
            r#"{{ trimPrefix "ab" "abc" }}|{{ trimSuffix "bc" "abc" }}"#,
            "c|a",
        ),
        (r#"{{ replace "a" "x" "banana" }}"#, "bxnxnx"),
        (
            r#"{{ contains "an" "banana" }} {{ hasPrefix "ba" "banana" }} {{ hasSuffix "na" "banana" }}"#,
            "true true true",
        ),
        (
            r#"{{ trunc 3 "abcdef" }}|{{ trunc -2 "abcdef" }}|{{ trunc 10 "ab" }}"#,
            "abc|ef|ab",
        ),
        (r#"{{ repeat 3 "ab" }}"#, "ababab"),
        (r#"{{ indent 2 "a\nb" }}"#, "  a\n  b"),
        (r#"{{ nindent 2 "a\nb" }}"#, "\n  a\n  b"),
        (
            r#"{{ quote "a" 1 .missing }}|{{ squote "x" }}"#,
            "\"a\" \"1\"|'x'",
        ),
        (r#"{{ cat "a" 1 .missing "b" }}"#, "a 1 b"),
        (
            r#"{{ print "a" 1 2 "b" }}|{{ println 1 2 }}"#,
            "a1 2b|1 2\n",
        ),
        (
            r#"{{ printf "%s=%d %v %q" "k" 5 true "s" }}"#,
            "k=5 true \"s\"",
        ),
        (r#"{{ (split "," "a,b,c")._1 }}"#, "b"),
        (r#"{{ splitList "," "a,b" | toJson }}"#, "[\"a\",\"b\"]"),
        (r#"{{ join "-" (list "a" "b" 1) }}"#, "a-b-1"),
        (
            r#"{{ upper "ab" }}{{ lower "CD" }}{{ title "hello world-wide it's" }}"#,
            "ABcdHello World-Wide It'S",
        ),
        (
            r#"{{ regexMatch "^v[0-9]+$" "v12" }} {{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}"#,
            "true -W-xxW-",
        ),
        (
            r#"{{ toString 1.5 }} {{ toString true }} {{ toString "s" }}"#,
            "1.5 true s",
        ),
        (r#"{{ b64enc "hi" }} {{ b64dec "aGk=" }}"#, "aGk= hi"),
        (
            r#"{{ sortAlpha (list "b" "a") | toJson }}"#,
            "[\"a\",\"b\"]",
        ),
        (r#"{{ semverCompare ">=1.21-0" "v1.32.0" }}"#, "true"),
        (
            r#"{{ sha256sum "abc" }}"#,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (r#"{{ adler32sum "Wikipedia" }}"#, "300286872"),
    ];
    for (tpl, want) in cases {
        assert_eq!(ok(tpl, json!({})), want, "{tpl}");
    }
}

#[test]
fn default_coalesce_ternary_required_fail() {
    assert_eq!(
        ok(
            r#"{{ default "d" .a }} {{ default "d" "" }} {{ default "d" false }} {{ default "d" "v" }}"#,
            json!({})
        ),
        "d d d v"
    );
    assert_eq!(
        ok(
            r#"{{ coalesce .a "" "x" "y" }} {{ ternary "yes" "no" true }} {{ ternary "yes" "no" false }}"#,
            json!({})
        ),
        "x yes no"
    );
    assert!(err(r#"{{ ternary "a" "b" "notbool" }}"#, json!({})).contains("expected bool"));
    assert_eq!(ok(r#"{{ required "need it" .a }}"#, json!({"a": "x"})), "x");
    assert!(err(r#"{{ required "need it" .a }}"#, json!({})).contains("need it"));
    assert!(err(r#"{{ required "need it" .a }}"#, json!({"a": ""})).contains("need it"));
    assert!(
        err(r#"{{ fail "boom" }}"#, json!({}))
            .contains("error calling fail: HELM_ERR_STARTboomHELM_ERR_END")
    );
}

#[test]
fn collection_functions() {
    let d = json!({"m": {"a": {"b": {"c": "deep"}}, "k": 1}, "l": ["x", "y"]});
    let cases = [
        (
            r#"{{ dig "a" "b" "c" "def" .m }} {{ dig "a" "z" "def" .m }}"#,
            "deep def",
        ),
        (r#"{{ index .m "a" "b" "c" }} {{ index .l 1 }}"#, "deep y"),
        (r#"{{ hasKey .m "k" }} {{ hasKey .m "zz" }}"#, "true false"),
        (
            r#"{{ has "x" .l }} {{ has "q" .l }} {{ has "x" .missing }}"#,
            "true false false",
        ),
        (r#"{{ pick .m "k" "nope" | toJson }}"#, r#"{"k":1}"#),
        (r#"{{ omit .m "a" | toJson }}"#, r#"{"k":1}"#),
        (r#"{{ keys .m | sortAlpha | toJson }}"#, r#"["a","k"]"#),
        (
            r#"{{ list 1 "a" | toJson }} {{ len .l }} {{ len "abc" }} {{ len .m }}"#,
            r#"[1,"a"] 2 3 2"#,
        ),
        (
            r#"{{ first .l }} {{ last .l }} {{ rest .l | toJson }} {{ append .l "z" | toJson }}"#,
            r#"x y ["y"] ["x","y","z"]"#,
        ),
        (
            r#"{{ without .l "x" | toJson }} {{ uniq (list 1 1 2) | toJson }} {{ until 3 | toJson }}"#,
            r#"["y"] [1,2] [0,1,2]"#,
        ),
        (r#"{{ dict "a" 1 "b" | toJson }}"#, r#"{"a":1,"b":""}"#),
        (r#"{{ get .m "k" }}|{{ get .m "nope" }}"#, "1|"),
        (
            r#"{{ empty .missing }} {{ empty .l }} {{ typeOf .l }} {{ kindIs "map" .m }}"#,
            "true false []interface {} true",
        ),
    ];
    for (tpl, want) in cases {
        assert_eq!(ok(tpl, d.clone()), want, "{tpl}");
    }
    assert!(
        err(r#"{{ index .m "zz" "b" }}"#, d.clone())
            .contains("error calling index: index of nil pointer")
    );
    assert!(err(r#"{{ index .l 5 }}"#, d).contains("index out of range: 5"));
}

#[test]
fn conversions_follow_cast() {
    assert_eq!(
        ok(
            r#"{{ int "42" }} {{ int 3.9 }} {{ int "0x10" }} {{ int "nope" }} {{ int .missing }} {{ int64 "7" }} {{ float64 "1.5" }}"#,
            json!({})
        ),
        "42 3 16 0 0 7 1.5"
    );
    assert_eq!(ok(r#"{{ atoi "12" }}"#, json!({})), "12");
}

#[test]
fn yaml_and_json_functions() {
    let d = json!({"v": {"b": [1, 2], "a": "true", "n": 1000000, "e": {}}});
    assert_eq!(
        ok("{{ toYaml .v }}", d.clone()),
        "a: \"true\"\nb:\n- 1\n- 2\ne: {}\n\"n\": 1000000"
    );
    assert_eq!(
        ok("{{ .v | toYaml | nindent 2 }}", json!({"v": {"k": "x"}})),
        "\n  k: x"
    );
    assert_eq!(
        ok("{{ toJson .v }}", d.clone()),
        r#"{"a":"true","b":[1,2],"e":{},"n":1000000}"#
    );
    assert_eq!(
        ok("{{ toPrettyJson .v }}", json!({"v": {"a": [1], "b": "<"}})),
        "{\n  \"a\": [\n    1\n  ],\n  \"b\": \"\\u003c\"\n}"
    );
    assert_eq!(
        ok(
            r#"{{ (fromYaml "a: 1\nb: [x]").b | first }} {{ (fromYaml "a: 1").a }}"#,
            json!({})
        ),
        "x 1"
    );
    assert!(ok(r#"{{ (fromYaml "- a").Error }}"#, json!({})).contains("cannot unmarshal array"));
    assert_eq!(ok(r#"{{ (fromJson "{\"a\": 2}").a }}"#, json!({})), "2");
    assert_eq!(
        ok(r#"{{ toYaml "multi\nline" }}"#, json!({})),
        "|-\n  multi\n  line"
    );
}

#[test]
fn parse_errors_name_template_line_and_function() {
    let mut set = Templates::new(helm_funcs());
    let e = set
        .parse("chart/templates/x.yaml", "a\nb\n{{ bogusFunc 1 }}")
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "template: chart/templates/x.yaml:3: function \"bogusFunc\" not defined"
    );
    for (tpl, msg) in [
        ("{{ if }}", "missing value for if"),
        ("{{ end }}", "unexpected {{end}}"),
        ("{{ if 1 }}", "unexpected EOF"),
        ("{{ \"unterminated }}", "unterminated quoted string"),
        ("{{ $x }}", "undefined variable \"$x\""),
        ("{{ break }}", "{{break}} outside {{range}}"),
        ("{{ 1 | 2 }}", "non executable command in pipeline stage 2"),
    ] {
        let e = Templates::new(helm_funcs())
            .parse("t", tpl)
            .unwrap_err()
            .to_string();
        assert!(e.contains(msg), "{tpl}: {e}");
    }
}

#[test]
fn exec_errors_name_template_line_and_column() {
    let e = err("line1\n  {{ index .l 3 }}", json!({"l": []}));
    assert_eq!(
        e,
        "template: t:2:5: executing \"t\" at <index .l 3>: error calling index: index out of range: 3"
    );
    let e = err(
        "{{ define \"inner\" }}\n{{ .x.y }}{{ end }}{{ include \"inner\" . }}",
        json!({}),
    );
    assert!(
        e.starts_with(
            "template: t:2:22: executing \"t\" at <include \"inner\" .>: error calling include: "
        ),
        "{e}"
    );
    assert!(
        e.contains("template: t:2:5: executing \"inner\" at <.x.y>"),
        "{e}"
    );
    assert!(err("{{ nindent \"a\" \"b\" }}", json!({})).contains("expected integer; found \"a\""));
    assert!(err("{{ upper }}", json!({})).contains("wrong number of args for upper: want 1 got 0"));
}

#[test]
fn helm_objects_in_templates() {
    use super::helm::{RenderOptions, render, values_from_json};
    let dir = std::env::temp_dir().join(format!("rigger-gotmpl-objects-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::create_dir_all(dir.join("files")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 1.2.3\n",
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), "a: 1\n").unwrap();
    std::fs::write(dir.join("files/x.txt"), "hello\nworld").unwrap();
    std::fs::write(
        dir.join("templates/t.yaml"),
        "{{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Minor }} {{ .Chart.Name }}-{{ .Chart.Version }} \
{{ .Chart.AppVersion | quote }} {{ .Files.Get \"files/x.txt\" | upper }} {{ .Template.Name }} {{ .Template.BasePath }} \
{{ range $p, $b := .Files.Glob \"files/*\" }}{{ $p }}{{ end }} {{ .Capabilities.APIVersions.Has \"apps/v1\" }} \
{{ .Release.Name }}/{{ .Release.Namespace }}/{{ .Release.IsInstall }}/{{ .Release.Service }}",
    )
    .unwrap();
    let chart = super::helm::Chart::load(&dir).unwrap();
    let out = render(
        &chart,
        &values_from_json(&json!({})),
        &RenderOptions::default(),
    )
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        out["c/templates/t.yaml"],
        "v1.32.0 32 c-1.2.3 \"\" HELLO\nWORLD c/templates/t.yaml c/templates files/x.txt true release-name/default/true/Helm"
    );
}

#[test]
fn helm_template_order_lets_zzz_profile_mutate_values_first() {
    use super::helm::{RenderOptions, render, values_from_json};
    let dir = std::env::temp_dir().join(format!("rigger-gotmpl-order-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("values.yaml"),
        "x: default\nkeep: 1\nnested: {a: 1}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("templates/a.yaml"),
        "x={{ .Values.x }} keep={{ .Values.keep }} n={{ .Values.nested.a }}",
    )
    .unwrap();
    std::fs::write(
        dir.join("templates/zzz_profile.yaml"),
        "{{ $_ := set $.Values \"x\" \"profile\" }}{{ $_ := mustMergeOverwrite $.Values.nested (dict \"a\" 2) }}",
    )
    .unwrap();
    // a partial defined twice: the shallower/alphabetically first file is parsed last and wins
    std::fs::write(
        dir.join("templates/_a.tpl"),
        "{{ define \"p\" }}from-a{{ end }}",
    )
    .unwrap();
    std::fs::write(
        dir.join("templates/_b.tpl"),
        "{{ define \"p\" }}from-b{{ end }}",
    )
    .unwrap();
    std::fs::write(dir.join("templates/p.yaml"), "{{ include \"p\" . }}").unwrap();
    let chart = super::helm::Chart::load(&dir).unwrap();
    // a user null removes a default
    let out = render(
        &chart,
        &values_from_json(&json!({"keep": null})),
        &RenderOptions::default(),
    )
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out["c/templates/a.yaml"], "x=profile keep= n=2");
    assert_eq!(out["c/templates/p.yaml"], "from-a");
    assert!(!out.contains_key("c/templates/_a.tpl"));
}
