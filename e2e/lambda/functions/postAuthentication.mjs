// Post authentication: an audit hook that answers nothing.
export const handler = async (event) => event;
