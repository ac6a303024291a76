// Verify auth challenge response: the answer must match the private one.
export const handler = async (event) => {
  event.response.answerCorrect =
    event.request.challengeAnswer.trim() === event.request.privateChallengeParameters.answer;
  return event;
};
