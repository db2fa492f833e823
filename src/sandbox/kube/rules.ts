// The rules live in the model: checks name the access policy that grants a denied request from the same table.
export * from '../../model/rbac-rules.js';
