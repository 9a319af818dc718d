# Writes kubernetes-<version>-definitions.json from a Kubernetes OpenAPI v2 document (swagger.json): the
# definitions of the kinds below and every definition they refer to, unchanged.
#   python3 kubernetes-definitions.py swagger.json kubernetes-1.36-definitions.json
import json, sys
swagger = json.load(open(sys.argv[1]))
definitions = swagger["definitions"]
kinds = {("apps", "v1", "StatefulSet"), ("apps", "v1", "Deployment"), ("", "v1", "Service"),
         ("", "v1", "ConfigMap"), ("", "v1", "Secret"), ("policy", "v1", "PodDisruptionBudget"),
         ("networking.k8s.io", "v1", "NetworkPolicy")}
roots = [name for name, d in definitions.items()
         if any((g["group"], g["version"], g["kind"]) in kinds for g in d.get("x-kubernetes-group-version-kind", []))]
keep, todo = set(), list(roots)
def refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v.rsplit("/", 1)[1]
            else:
                yield from refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)
while todo:
    name = todo.pop()
    if name not in keep:
        keep.add(name)
        todo.extend(refs(definitions[name]))
json.dump({"definitions": {n: definitions[n] for n in sorted(keep)}}, open(sys.argv[2], "w"), indent=1, sort_keys=True)
print(len(roots), "kinds,", len(keep), "definitions")
